"""Event kinds, declared once: what each kind of event means to every part of Tracelot.

One `KindSpec` per kind says which guard refuses it, what it does to its lot (on hand, status,
location) and to the other lot of a split or merge, whether it can be reversed, its role in
the genealogy, whether it starts a lot, and whether traces and daily figures count it.
Recording, reversal (ledger.effects), the genealogy sync and rebuild (ledger.flows), the
integrity check, the daily figures, the trace engine, the station's bill-of-materials
progress and the demo's fast path all read this table; none of them names kinds itself.

Adding a kind is one `EventKind` choice, one entry in `KINDS` and its tests.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.ledger import guards
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import PurchaseOrder, SalesOrder, WorkOrderStep
from tracelot.plants.models import Location, Operator, Station

K = EventKind


@dataclass
class Draft:
    """An event a caller asks to record. A new lot is an unsaved `Lot` (code may be blank)."""

    kind: str
    lot: Lot
    quantity: Decimal
    key: str
    via: str
    actor: Operator | None = None
    occurred_at: datetime | None = None
    step: WorkOrderStep | None = None
    purchase_order: PurchaseOrder | None = None
    sales_order: SalesOrder | None = None
    location: Location | None = None
    station: Station | None = None
    other_lot: Lot | None = None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    reverses: Event | None = None
    # What `step` took in and made before this draft, earlier drafts of the same batch
    # included; `record` sets it for a produce, so a batch that consumes then produces is
    # checked against its own inputs. None: read what was recorded.
    step_so_far: "StepTotals | None" = None


class LotLike(Protocol):
    """What an effect changes: a `Lot`, or the demo's in-memory lot state."""

    quantity_on_hand: Decimal
    status: str
    location_id: int | None

    @property
    def waits_for_release(self) -> bool: ...


class OnHand(StrEnum):
    """What an event does to its lot's quantity on hand."""

    NONE = "none"  # hold, release, inspect, move
    CREATE = "create"  # receive, produce: a new lot starts with the quantity
    TAKE = "take"  # consume, ship, scrap, split, merge: the quantity leaves the lot
    ADD = "add"  # return: the quantity comes back
    COUNT = "count"  # adjust: on hand becomes the quantity counted


class Role(StrEnum):
    """An event's part in the genealogy."""

    NONE = "none"
    INPUT = "input"  # consume: the lot went into every lot its step makes
    OUTPUT = "output"  # produce: the lot came out of its step
    LINK = "link"  # split, merge: the lot went into the other lot, outside any step


class Figure(StrEnum):
    """Which daily figure of the dashboard counts an event."""

    NONE = "none"
    OUTPUT = "output"  # produced quantity per day and line
    INSPECTION = "inspection"  # inspections and passes per day, line, shift, supplier


Status = str | Callable[[LotLike], str] | None


@dataclass(frozen=True)
class KindSpec:
    kind: str
    guard: Callable[[Draft], None]
    on_hand: OnHand = OnHand.NONE
    # The status the lot gets (None: unchanged); a callable decides by the lot.
    status: Status = None
    # The status the lot gets when this kind takes its last unit.
    emptied: str | None = None
    # The lot goes to the draft's location when one is given.
    moves: bool = False
    # What the event does to `other_lot` (split: a new lot with the quantity; merge: adds it).
    other_lot: OnHand = OnHand.NONE
    reversible: bool = True
    role: Role = Role.NONE
    # The event that starts a lot: every lot has one (or was split off another).
    origin: bool = False
    # Listed with the lots of a trace: where each lot came from and where it went.
    traced: bool = False
    # The lot leaves to a customer on a sales order (shipments, customers of a trace).
    to_customer: bool = False
    figure: Figure = Figure.NONE

    def status_for(self, lot: LotLike) -> str | None:
        return self.status(lot) if callable(self.status) else self.status


def _new_lot(draft: Draft) -> None:
    guards.quantity_positive(draft.quantity)
    if draft.lot.pk is not None:
        raise Refused(
            "lot_exists", gettext("Lot %(code)s already exists.") % {"code": draft.lot.code}
        )


# What a receipt's data says when a person knowingly took in what the guards would refuse.
ONTO_HOLD = "received_onto_hold"  # the reason it goes straight onto hold (expired)
SUPPLIER_OVERRIDE = "unapproved_supplier_reason"  # why a quality user accepted the supplier


def _receive(draft: Draft) -> None:
    _new_lot(draft)
    lot = draft.lot
    expired = lot.expires_on is not None and lot.expires_on < clock.localdate(draft.occurred_at)
    if expired and not draft.data.get(ONTO_HOLD):
        raise Refused(
            "lot_expired",
            gettext(
                "Supplier lot %(supplier_lot)s expired on %(date)s: it is not received. "
                "To take it in anyway, receive it onto hold."
            )
            % {"supplier_lot": lot.supplier_lot, "date": str(lot.expires_on)},
        )
    if lot.supplier is not None and not draft.data.get(SUPPLIER_OVERRIDE):
        guards.supplier_approved(lot.item, lot.supplier)


OUTPUT_OVERRIDE = "output_over_bom_reason"  # why a quality user accepted more output than BOM


def _produce(draft: Draft) -> None:
    _new_lot(draft)
    if draft.step is not None and not draft.data.get(OUTPUT_OVERRIDE):
        so_far = draft.step_so_far or step_totals(draft.step)
        guards.output_within_bom(draft.step, draft.quantity, (so_far.consumed, so_far.made))


@dataclass
class StepTotals:
    """What went into a step by item, and what it made, net of reversals."""

    consumed: dict[int, Decimal] = field(default_factory=dict)
    made: Decimal = Decimal(0)

    def add(self, kind: str, reversed_kind: str | None, item_id: int, quantity: Decimal) -> None:
        spec, signed = standing(kind, reversed_kind, quantity)
        if spec.role == Role.INPUT:
            self.consumed[item_id] = self.consumed.get(item_id, Decimal(0)) + signed
        elif spec.role == Role.OUTPUT:
            self.made += signed


def step_totals(step: WorkOrderStep) -> StepTotals:
    """What went into `step` and what it made, as recorded."""
    totals = StepTotals()
    rows = Event.objects.filter(step=step).values_list(
        "kind", "reverses__kind", "lot__item_id", "quantity"
    )
    for kind, reversed_kind, item_id, quantity in rows:
        totals.add(kind, reversed_kind, item_id, quantity)
    return totals


class BatchSteps:
    """The steps a `record` batch touches: what was recorded plus the batch's own drafts so
    far, so each produce is checked against the inputs consumed before it in the batch."""

    def __init__(self) -> None:
        self._recorded: dict[int, StepTotals] = {}
        self._batch: dict[int, list[tuple[str, str | None, int, Decimal]]] = {}

    def before(self, draft: Draft) -> StepTotals | None:
        step = draft.step
        if step is None or KINDS[draft.kind].role != Role.OUTPUT:
            return None
        if step.pk not in self._recorded:  # one query per step and batch
            self._recorded[step.pk] = step_totals(step)
        recorded = self._recorded[step.pk]
        totals = StepTotals(dict(recorded.consumed), recorded.made)
        for entry in self._batch.get(step.pk, ()):
            totals.add(*entry)
        return totals

    def add(self, draft: Draft) -> None:
        if draft.step is None:
            return
        reversed_kind = draft.reverses.kind if draft.reverses is not None else None
        entry = (draft.kind, reversed_kind, draft.lot.item_id, draft.quantity)
        self._batch.setdefault(draft.step.pk, []).append(entry)


def _consume(draft: Draft) -> None:
    if draft.step is None:
        raise Refused("step_required", gettext("Say which work-order step the lot goes into."))
    on = clock.localdate(draft.occurred_at)
    guards.usable_in_step(draft.lot, draft.step, draft.quantity, on)


def _ship(draft: Draft) -> None:
    if draft.sales_order is None:
        raise Refused("sales_order_required", gettext("Say which sales order the lot ships on."))
    on = clock.localdate(draft.occurred_at)
    guards.shippable(draft.lot, draft.quantity, draft.sales_order, on)


def _take_with_reason(draft: Draft) -> None:
    guards.reason_given(draft.reason)
    guards.in_stock(draft.lot)
    guards.quantity_positive(draft.quantity)
    guards.enough_on_hand(draft.lot, draft.quantity)


def _return(draft: Draft) -> None:
    guards.quantity_positive(draft.quantity)
    guards.returnable(draft.lot, draft.sales_order, draft.quantity)


def _send_back(draft: Draft) -> None:
    _take_with_reason(draft)
    guards.from_supplier(draft.lot)


def _recall(draft: Draft) -> None:
    guards.reason_given(draft.reason)
    guards.recallable(draft.lot)


def _move(draft: Draft) -> None:
    guards.in_stock(draft.lot)
    if draft.location is None:
        raise Refused("location_required", gettext("Say where the lot is moved to."))


def _hold(draft: Draft) -> None:
    guards.reason_given(draft.reason)
    guards.holdable(draft.lot)


def _release(draft: Draft) -> None:
    guards.reason_given(draft.reason)
    guards.releasable(draft.lot, clock.localdate(draft.occurred_at))
    guards.release_signed(draft.lot, draft.data.get("signatures", []))


def _inspect(draft: Draft) -> None:
    if draft.data.get("result") not in ("pass", "fail"):
        raise Refused("inspection_result_invalid", gettext("An inspection result is pass or fail."))


def _adjust(draft: Draft) -> None:
    guards.reason_given(draft.reason)
    guards.in_stock(draft.lot)
    if draft.quantity < 0:
        guards.quantity_positive(draft.quantity)


def _split(draft: Draft) -> None:
    if draft.other_lot is None or draft.other_lot.pk is not None:
        raise Refused("split_needs_new_lot", gettext("A split makes a new lot."))
    guards.in_stock(draft.lot)
    guards.quantity_positive(draft.quantity)
    guards.enough_on_hand(draft.lot, draft.quantity)


def _merge(draft: Draft) -> None:
    source, target = draft.lot, draft.other_lot
    if target is None:
        raise Refused("merge_needs_target", gettext("Say which lot this one is merged into."))
    guards.in_stock(source)
    guards.in_stock(target)
    guards.same_item(source, target)
    guards.quantity_positive(draft.quantity)
    guards.enough_on_hand(source, draft.quantity)


def _reversal(draft: Draft) -> None:
    # What a reversal may undo is decided with its original (ledger.effects.reversal_check).
    guards.reason_given(draft.reason)


def _produced_status(lot: LotLike) -> str:
    return LotStatus.QUARANTINE if lot.waits_for_release else LotStatus.RELEASED


def _returned_status(lot: LotLike) -> str:
    # What comes back of a recalled lot stays recalled: it is not stock to use again.
    return LotStatus.RECALLED if lot.status == LotStatus.RECALLED else LotStatus.QUARANTINE


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            K.RECEIVE,
            _receive,
            on_hand=OnHand.CREATE,
            status=LotStatus.QUARANTINE,
            moves=True,
            origin=True,
            traced=True,
        ),
        KindSpec(
            K.PRODUCE,
            _produce,
            on_hand=OnHand.CREATE,
            status=_produced_status,
            moves=True,
            role=Role.OUTPUT,
            origin=True,
            traced=True,
            figure=Figure.OUTPUT,
        ),
        KindSpec(
            K.CONSUME,
            _consume,
            on_hand=OnHand.TAKE,
            emptied=LotStatus.CONSUMED,
            role=Role.INPUT,
        ),
        KindSpec(
            K.SHIP,
            _ship,
            on_hand=OnHand.TAKE,
            emptied=LotStatus.SHIPPED,
            traced=True,
            to_customer=True,
        ),
        KindSpec(K.SCRAP, _take_with_reason, on_hand=OnHand.TAKE, emptied=LotStatus.SCRAPPED),
        KindSpec(K.SEND_BACK, _send_back, on_hand=OnHand.TAKE, emptied=LotStatus.RETURNED),
        KindSpec(K.RETURN, _return, on_hand=OnHand.ADD, status=_returned_status, moves=True),
        KindSpec(K.RECALL, _recall, status=LotStatus.RECALLED),
        KindSpec(K.MOVE, _move, moves=True),
        KindSpec(K.HOLD, _hold, status=LotStatus.ON_HOLD),
        KindSpec(K.RELEASE, _release, status=LotStatus.RELEASED),
        KindSpec(K.INSPECT, _inspect, figure=Figure.INSPECTION),
        KindSpec(K.ADJUST, _adjust, on_hand=OnHand.COUNT),
        KindSpec(
            K.SPLIT,
            _split,
            on_hand=OnHand.TAKE,
            emptied=LotStatus.CONSUMED,
            other_lot=OnHand.CREATE,
            reversible=False,
            role=Role.LINK,
        ),
        KindSpec(
            K.MERGE,
            _merge,
            on_hand=OnHand.TAKE,
            emptied=LotStatus.CONSUMED,
            other_lot=OnHand.ADD,
            reversible=False,
            role=Role.LINK,
        ),
        KindSpec(K.REVERSAL, _reversal, reversible=False),
    )
}


def kinds_where(test: Callable[[KindSpec], bool]) -> list[str]:
    """The kinds whose declaration passes `test`, for a query: `kind__in=kinds_where(...)`."""
    return [kind for kind, spec in KINDS.items() if test(spec)]


Amount = TypeVar("Amount", Decimal, float)


def standing(kind: str, reversed_kind: str | None, quantity: Amount) -> tuple[KindSpec, Amount]:
    """What an event counts as, net of reversals: a reversal counts as minus its original.

    Every sum over events (a step's flows, the station's progress, mass balance) adds
    events through this, so a reversed event and its reversal cancel out. Exact sums pass
    Decimals; the trace's shares pass floats.
    """
    if kind == K.REVERSAL and reversed_kind is not None:
        return KINDS[reversed_kind], -quantity
    return KINDS[kind], quantity


def not_reversed(events: QuerySet[Event]) -> QuerySet[Event]:
    """`events` without the ones a reversal cancelled: net of reversals where a figure counts
    events or lots (signs cannot cancel a count) instead of adding quantities."""
    return events.filter(reversed_by__isnull=True)
