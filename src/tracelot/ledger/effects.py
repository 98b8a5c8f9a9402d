"""What an event does to its lots: the one reading of the effects declared in `ledger.kinds`.

`lot_effect_apply` changes a lot in memory as a kind declares; recording runs it after the
kind's guard, and the demo's fast path runs it on its own lot states. A reversal undoes its
original by the original's declaration, with what the original recorded in its data
(status and location before, the on-hand an adjustment replaced).
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.core.numbers import plain
from tracelot.ledger import guards
from tracelot.ledger.kinds import KINDS, Draft, KindSpec, LotLike, OnHand
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus


def draft_apply(draft: Draft) -> dict[str, Any]:
    """Refuse `draft` if its guard says no; otherwise change its lot(s) in memory.

    Returns what the event's data records of the change (status and location before and
    after, the on-hand an adjustment replaced), beside the caller's own data.
    """
    spec = KINDS[draft.kind]
    spec.guard(draft)
    lot = draft.lot
    status_before, location_before = lot.status, lot.location_id
    changes: dict[str, Any] = {}
    if draft.kind == EventKind.REVERSAL:
        _reversal_apply(draft)
    else:
        if spec.on_hand == OnHand.COUNT:
            changes["before"] = plain(lot.quantity_on_hand)
        if spec.on_hand == OnHand.CREATE:
            lot.unit = lot.unit or lot.item.unit
        location_id = draft.location.pk if draft.location is not None else None
        lot_effect_apply(spec, lot, draft.quantity, location_id=location_id, other=draft.other_lot)
        if draft.other_lot is not None and spec.other_lot == OnHand.CREATE:
            draft.other_lot.unit = draft.other_lot.unit or lot.unit
    changes.update(change_record(spec, lot, status_before, location_before))
    return changes


def lot_effect_apply(
    spec: KindSpec,
    lot: LotLike,
    quantity: Decimal,
    *,
    location_id: int | None,
    other: LotLike | None = None,
) -> None:
    """Change `lot` (and the other lot of a split or merge) as `spec` declares; no guards."""
    status_before = lot.status
    if spec.on_hand == OnHand.CREATE:
        lot.quantity_on_hand = quantity
    elif spec.on_hand == OnHand.TAKE:
        lot.quantity_on_hand -= quantity
        if lot.quantity_on_hand == 0 and spec.emptied is not None:
            lot.status = spec.emptied
    elif spec.on_hand == OnHand.ADD:
        lot.quantity_on_hand += quantity
    elif spec.on_hand == OnHand.COUNT:
        lot.quantity_on_hand = quantity
    status = spec.status_for(lot)
    if status is not None:
        lot.status = status
    if spec.moves and location_id is not None:
        lot.location_id = location_id
    if other is None:
        return
    if spec.other_lot == OnHand.CREATE:
        other.quantity_on_hand = quantity
        other.status = status_before
        other.location_id = location_id or lot.location_id
    elif spec.other_lot == OnHand.ADD:
        other.quantity_on_hand += quantity


def change_record(
    spec: KindSpec, lot: LotLike, status_before: str, location_before: int | None
) -> dict[str, Any]:
    """What an event keeps of the change it made, so a reversal can undo it exactly."""
    record: dict[str, Any] = {}
    if status_before != lot.status:
        record.update(status_before=status_before, status_after=lot.status)
    # A new lot has no place to go back to: its reversal scraps it.
    if spec.on_hand != OnHand.CREATE and location_before != lot.location_id:
        record.update(location_before=location_before, location_after=lot.location_id)
    return record


def _reversal_apply(draft: Draft) -> None:
    original, lot = draft.reverses, draft.lot
    if original is None:
        raise Refused("reversal_needs_event", gettext("Say which event is reversed."))
    spec = KINDS[original.kind]
    _reversal_check(original, spec, lot)
    delta = _reversal_delta(spec, original.quantity, original.data)
    if delta > lot.quantity_on_hand:
        guards.enough_on_hand(lot, delta)
    location_before = None
    if spec.moves and "location_before" not in original.data:
        location_before = _location_before(original)
    reversal_effect(lot, original.kind, original.quantity, original.data, location_before)


def _reversal_delta(spec: KindSpec, quantity: Decimal, data: dict[str, Any]) -> Decimal:
    """How much the original event added to its lot's on hand (taken: negative)."""
    if spec.on_hand in (OnHand.CREATE, OnHand.ADD):
        return quantity
    if spec.on_hand == OnHand.TAKE:
        return -quantity
    if spec.on_hand == OnHand.COUNT:
        return quantity - Decimal(data["before"])
    return Decimal(0)


def reversal_effect(
    lot: LotLike,
    kind: str,
    quantity: Decimal,
    data: dict[str, Any],
    location_before: int | None,
) -> None:
    """Undo on `lot` what an event of `kind` did, by what it recorded in its `data`; no
    guards. `location_before`: where the lot was before it, for events that did not say."""
    spec = KINDS[kind]
    lot.quantity_on_hand -= _reversal_delta(spec, quantity, data)
    if "status_before" in data:
        lot.status = data["status_before"]
    if spec.moves and spec.on_hand != OnHand.CREATE:
        lot.location_id = data.get("location_before", location_before)
    if spec.on_hand == OnHand.CREATE:
        # A receipt or production that did not happen: nothing of the lot may be used.
        lot.status = LotStatus.SCRAPPED


def _reversal_check(original: Event, spec: KindSpec, lot: Lot) -> None:
    if Event.objects.filter(reverses=original).exists():
        raise Refused(
            "event_already_reversed",
            gettext("Event %(position)s was already reversed.")
            % {"position": original.chain_position},
        )
    if not spec.reversible:
        raise Refused(
            "event_not_reversible",
            gettext("A %(kind)s event cannot be reversed; record a new event instead.")
            % {"kind": EventKind(original.kind).label},
        )
    data = original.data
    superseded = ("status_after" in data and lot.status != data["status_after"]) or (
        "location_after" in data and lot.location_id != data["location_after"]
    )
    if superseded:
        raise Refused(
            "event_superseded",
            gettext(
                "Lot %(code)s changed after event %(position)s; reverse the later events first."
            )
            % {"code": lot.code, "position": original.chain_position},
        )


def _location_before(original: Event) -> int | None:
    # Events recorded before moves kept their location_before: the lot's event just before
    # the move says where it was (every event records the lot's location at the time).
    return (
        Event.objects.filter(
            site_id=original.site_id,
            lot_id=original.lot_id,
            chain_position__lt=original.chain_position,
        )
        .order_by("-chain_position")
        .values_list("location_id", flat=True)
        .first()
    )
