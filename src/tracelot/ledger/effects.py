"""What each event kind does to the lots it touches, after its guards let it through."""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.ledger import guards
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus

if TYPE_CHECKING:
    from tracelot.ledger.recording import Draft

K = EventKind
_EMPTY_STATUS: dict[str, str] = {
    K.CONSUME: LotStatus.CONSUMED,
    K.SHIP: LotStatus.SHIPPED,
    K.SCRAP: LotStatus.SCRAPPED,
    K.SPLIT: LotStatus.CONSUMED,
    K.MERGE: LotStatus.CONSUMED,
}


def apply_effect(draft: "Draft") -> None:
    """Refuse `draft` if a guard says no; otherwise change its lot(s) in memory."""
    handler = _HANDLERS[draft.kind]
    handler(draft)


def _take(lot: Lot, quantity: Decimal, kind: str) -> None:
    guards.quantity_positive(quantity)
    guards.enough_on_hand(lot, quantity)
    lot.quantity_on_hand -= quantity
    if lot.quantity_on_hand == 0:
        lot.status = _EMPTY_STATUS[kind]


def _new_lot(draft: "Draft", status: str) -> None:
    guards.quantity_positive(draft.quantity)
    lot = draft.lot
    if lot.pk is not None:
        raise Refused("lot_exists", gettext("Lot %(code)s already exists.") % {"code": lot.code})
    lot.quantity_on_hand = draft.quantity
    lot.unit = lot.unit or lot.item.unit
    lot.status = status
    lot.location = draft.location or lot.location


def _receive(draft: "Draft") -> None:
    _new_lot(draft, LotStatus.QUARANTINE)


def _produce(draft: "Draft") -> None:
    from tracelot.ledger.recording import finished_goods_wait_for_release

    _new_lot(draft, finished_goods_wait_for_release(draft.lot))


def _consume(draft: "Draft") -> None:
    assert draft.step is not None  # noqa: S101 - the service always passes the step
    on = clock.localdate(draft.occurred_at)
    guards.usable_in_step(draft.lot, draft.step, draft.quantity, on)
    _take(draft.lot, draft.quantity, K.CONSUME)


def _ship(draft: "Draft") -> None:
    guards.shippable(draft.lot, draft.quantity)
    _take(draft.lot, draft.quantity, K.SHIP)


def _scrap(draft: "Draft") -> None:
    guards.reason_given(draft.reason)
    guards.in_stock(draft.lot)
    _take(draft.lot, draft.quantity, K.SCRAP)


def _return(draft: "Draft") -> None:
    guards.quantity_positive(draft.quantity)
    draft.lot.quantity_on_hand += draft.quantity
    draft.lot.status = LotStatus.QUARANTINE
    draft.lot.location = draft.location or draft.lot.location


def _move(draft: "Draft") -> None:
    guards.in_stock(draft.lot)
    if draft.location is None:
        raise Refused("location_required", gettext("Say where the lot is moved to."))
    draft.lot.location = draft.location


def _hold(draft: "Draft") -> None:
    guards.reason_given(draft.reason)
    guards.holdable(draft.lot)
    draft.lot.status = LotStatus.ON_HOLD


def _release(draft: "Draft") -> None:
    guards.reason_given(draft.reason)
    guards.releasable(draft.lot)
    draft.lot.status = LotStatus.RELEASED


def _inspect(draft: "Draft") -> None:
    if draft.data.get("result") not in ("pass", "fail"):
        raise Refused("inspection_result_invalid", gettext("An inspection result is pass or fail."))


def _adjust(draft: "Draft") -> None:
    # The quantity of an adjustment is the counted on-hand; the event keeps what it was.
    guards.reason_given(draft.reason)
    guards.in_stock(draft.lot)
    if draft.quantity < 0:
        guards.quantity_positive(draft.quantity)
    draft.data["before"] = format(draft.lot.quantity_on_hand.normalize(), "f")
    draft.lot.quantity_on_hand = draft.quantity


def _split(draft: "Draft") -> None:
    source, child = draft.lot, draft.other_lot
    assert child is not None  # noqa: S101 - lot_split builds the child
    guards.in_stock(source)
    status = source.status
    _take(source, draft.quantity, K.SPLIT)
    child.quantity_on_hand = draft.quantity
    child.status = status
    child.location = draft.location or source.location


def _merge(draft: "Draft") -> None:
    source, target = draft.lot, draft.other_lot
    assert target is not None  # noqa: S101 - lot_merge passes the target
    guards.in_stock(source)
    guards.in_stock(target)
    if source.item_id != target.item_id:
        raise Refused(
            "merge_item_mismatch",
            gettext("Lot %(source)s is %(item)s and cannot be merged into %(target)s.")
            % {"source": source.code, "item": source.item.code, "target": target.code},
        )
    _take(source, draft.quantity, K.MERGE)
    target.quantity_on_hand += draft.quantity


def _reverse(draft: "Draft") -> None:
    original = draft.reverses
    assert original is not None  # noqa: S101 - event_reverse passes the original
    lot = draft.lot
    if Event.objects.filter(reverses=original).exists():
        raise Refused(
            "event_already_reversed",
            gettext("Event %(position)s was already reversed.")
            % {"position": original.chain_position},
        )
    if original.kind in (K.REVERSAL, K.SPLIT, K.MERGE):
        raise Refused(
            "event_not_reversible",
            gettext("A %(kind)s event cannot be reversed; record a new event instead.")
            % {"kind": K(original.kind).label},
        )
    status_after = original.data.get("status_after")
    if status_after is not None and lot.status != status_after:
        raise Refused(
            "event_superseded",
            gettext(
                "Lot %(code)s changed after event %(position)s; reverse the later events first."
            )
            % {"code": lot.code, "position": original.chain_position},
        )
    if original.kind == K.ADJUST:
        delta = original.quantity - Decimal(original.data["before"])
    elif original.kind in (K.RECEIVE, K.PRODUCE, K.RETURN):
        delta = original.quantity
    elif original.kind in (K.CONSUME, K.SHIP, K.SCRAP):
        delta = -original.quantity
    else:
        delta = Decimal(0)
    if delta > lot.quantity_on_hand:
        guards.enough_on_hand(lot, delta)
    lot.quantity_on_hand -= delta
    if status_after is not None:
        lot.status = original.data["status_before"]
    if original.kind in (K.RECEIVE, K.PRODUCE):
        lot.status = LotStatus.SCRAPPED


_HANDLERS: dict[str, Callable[["Draft"], None]] = {
    K.RECEIVE: _receive,
    K.PRODUCE: _produce,
    K.CONSUME: _consume,
    K.SHIP: _ship,
    K.SCRAP: _scrap,
    K.RETURN: _return,
    K.MOVE: _move,
    K.HOLD: _hold,
    K.RELEASE: _release,
    K.INSPECT: _inspect,
    K.ADJUST: _adjust,
    K.SPLIT: _split,
    K.MERGE: _merge,
    K.REVERSAL: _reverse,
}
