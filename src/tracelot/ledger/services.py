"""Ledger services: one function per thing that happens to a lot, each one transaction.

Every service builds a Draft and hands it to `recording.record`, where the guards, the hash
chain, the lot projection and the genealogy edges are handled in one place.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.items.models import Item
from tracelot.ledger import guards
from tracelot.ledger.keys import key_for
from tracelot.ledger.kinds import ONTO_HOLD, OUTPUT_OVERRIDE, SUPPLIER_OVERRIDE, Draft
from tracelot.ledger.models import ChainHead, Event, EventKind, Via
from tracelot.ledger.recording import REASON_LENGTH, record
from tracelot.lots.models import Lot
from tracelot.orders.models import PurchaseOrder, SalesOrder, WorkOrderStep
from tracelot.partners.models import Supplier
from tracelot.plants.models import Location, Operator, Site, Station

if TYPE_CHECKING:
    from tracelot.ledger.models import ChainCheck
    from tracelot.ledger.selectors import ChainReport

K = EventKind


def _one(draft: Draft) -> Event:
    return record([draft])[0]


def _reasoned(name: str, reason: str) -> dict[str, str]:
    """An override's reason as an event keeps it ({} when there is none)."""
    if not reason.strip():
        return {}
    guards.text_storable(reason, what=gettext("The reason"), limit=REASON_LENGTH)
    return {name: reason.strip()}


def lot_receive(
    *,
    site: Site,
    item: Item,
    quantity: Decimal,
    supplier: Supplier,
    supplier_lot: str,
    actor: Operator,
    key: str,
    via: str = Via.MANUAL,
    purchase_order: PurchaseOrder | None = None,
    location: Location | None = None,
    expires_on: date | None = None,
    code: str = "",
    occurred_at: datetime | None = None,
    onto_hold: str = "",
    supplier_override: str = "",
) -> Event:
    """Receive a supplier's lot into quarantine under a new internal code.

    `onto_hold`: the reason to take in a lot the guards refuse as expired, straight onto hold
    (one transaction). `supplier_override`: why a supplier not approved for the item is
    accepted; the caller checks that the user may say so (orders.receive_unapproved).
    """
    lot = Lot(
        site=site,
        item=item,
        code=code,
        supplier=supplier,
        supplier_lot=supplier_lot.strip(),
        purchase_order=purchase_order,
        received_on=clock.localdate(occurred_at),
        expires_on=expires_on,
        unit=item.unit,
    )
    data = {**_reasoned(ONTO_HOLD, onto_hold), **_reasoned(SUPPLIER_OVERRIDE, supplier_override)}
    drafts = [
        Draft(
            kind=K.RECEIVE,
            lot=lot,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            occurred_at=occurred_at,
            purchase_order=purchase_order,
            location=location,
            data=data,
        )
    ]
    if onto_hold:
        drafts.append(
            Draft(
                kind=K.HOLD,
                lot=lot,
                quantity=quantity,
                key=key_for("hold", key),
                via=via,
                actor=actor,
                occurred_at=occurred_at,
                reason=onto_hold,
            )
        )
    return record(drafts)[0]


def lot_consume(
    *,
    step: WorkOrderStep,
    lot: Lot,
    quantity: Decimal,
    actor: Operator,
    key: str,
    via: str = Via.SCAN,
    station: Station | None = None,
    occurred_at: datetime | None = None,
) -> Event:
    """Consume `quantity` of `lot` into `step`; a refusal raises Refused and writes nothing."""
    return _one(
        Draft(
            kind=K.CONSUME,
            lot=lot,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            step=step,
            station=station,
            occurred_at=occurred_at,
        )
    )


def lot_produce(
    *,
    step: WorkOrderStep,
    quantity: Decimal,
    actor: Operator,
    key: str,
    via: str = Via.SCAN,
    location: Location | None = None,
    station: Station | None = None,
    code: str = "",
    occurred_at: datetime | None = None,
    over_bom_reason: str = "",
) -> Event:
    """Record the output lot of `step`, numbered by its lot-number rule, linked to its inputs.

    `over_bom_reason`: why more is recorded than the inputs make by the bill of materials;
    the caller checks that the user may say so (capture.record_over_bom).
    """
    work_order = step.work_order
    lot = Lot(
        site=work_order.site,
        item=step.output_item,
        code=code,
        work_order=work_order,
        produced_on=clock.localdate(occurred_at),
        unit=step.output_item.unit,
    )
    return _one(
        Draft(
            kind=K.PRODUCE,
            lot=lot,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            step=step,
            location=location,
            station=station,
            occurred_at=occurred_at,
            data=_reasoned(OUTPUT_OVERRIDE, over_bom_reason),
        )
    )


def _status_event(
    kind: str,
    *,
    lot: Lot,
    actor: Operator,
    reason: str,
    key: str,
    via: str,
    data: dict[str, str] | None = None,
    location: Location | None = None,
) -> Event:
    return _one(
        Draft(
            kind=kind,
            lot=lot,
            quantity=lot.quantity_on_hand,
            key=key,
            via=via,
            actor=actor,
            reason=reason,
            data=dict(data or {}),
            location=location,
        )
    )


def lot_hold(*, lot: Lot, reason: str, actor: Operator, key: str, via: str = Via.MANUAL) -> Event:
    """Put `lot` on hold; nothing can consume or ship it until it is released."""
    return _status_event(K.HOLD, lot=lot, actor=actor, reason=reason, key=key, via=via)


def lot_release(
    *, lot: Lot, reason: str, actor: Operator, key: str, via: str = Via.MANUAL
) -> Event:
    """Release `lot` from quarantine or hold."""
    return _status_event(K.RELEASE, lot=lot, actor=actor, reason=reason, key=key, via=via)


def lot_recall(*, lot: Lot, reason: str, actor: Operator, key: str, via: str = Via.MANUAL) -> Event:
    """Mark a shipped `lot` recalled: called back from its customers, never to be used again."""
    return _status_event(K.RECALL, lot=lot, actor=actor, reason=reason, key=key, via=via)


def lot_inspect(
    *,
    lot: Lot,
    characteristic: str,
    passed: bool,
    actor: Operator,
    key: str,
    value: str = "",
    via: str = Via.MANUAL,
) -> Event:
    """Record one inspection result of `lot`; the status is decided by hold/release."""
    data = {"characteristic": characteristic, "result": "pass" if passed else "fail"}
    if value:
        data["value"] = value
    return _status_event(K.INSPECT, lot=lot, actor=actor, reason="", key=key, via=via, data=data)


def lot_move(
    *, lot: Lot, location: Location, actor: Operator, key: str, via: str = Via.SCAN
) -> Event:
    """Move `lot` to `location`."""
    return _status_event(
        K.MOVE, lot=lot, actor=actor, reason="", key=key, via=via, location=location
    )


def lot_ship(
    *,
    lot: Lot,
    sales_order: SalesOrder,
    quantity: Decimal,
    actor: Operator,
    key: str,
    via: str = Via.SCAN,
    occurred_at: datetime | None = None,
) -> Event:
    """Ship `quantity` of a released lot against `sales_order`."""
    return _one(
        Draft(
            kind=K.SHIP,
            lot=lot,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            sales_order=sales_order,
            occurred_at=occurred_at,
        )
    )


def lot_return(
    *,
    lot: Lot,
    sales_order: SalesOrder,
    quantity: Decimal,
    reason: str,
    actor: Operator,
    key: str,
    via: str = Via.MANUAL,
    location: Location | None = None,
) -> Event:
    """Take back `quantity` of a shipped lot from a customer, into quarantine."""
    return _one(
        Draft(
            kind=K.RETURN,
            lot=lot,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            sales_order=sales_order,
            reason=reason,
            location=location,
        )
    )


def lot_adjust(
    *,
    lot: Lot,
    counted: Decimal,
    reason: str,
    actor: Operator,
    key: str,
    via: str = Via.MANUAL,
) -> Event:
    """Set the on-hand of `lot` to a counted quantity; the event keeps what it was before."""
    return _one(
        Draft(
            kind=K.ADJUST, lot=lot, quantity=counted, key=key, via=via, actor=actor, reason=reason
        )
    )


def lot_scrap(
    *,
    lot: Lot,
    quantity: Decimal,
    reason: str,
    actor: Operator,
    key: str,
    via: str = Via.MANUAL,
    step: WorkOrderStep | None = None,
) -> Event:
    """Scrap `quantity` of `lot` (at `step`, when it happened there)."""
    return _one(
        Draft(
            kind=K.SCRAP,
            lot=lot,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            reason=reason,
            step=step,
        )
    )


def lot_split(
    *,
    lot: Lot,
    quantity: Decimal,
    actor: Operator,
    key: str,
    via: str = Via.MANUAL,
    location: Location | None = None,
) -> Event:
    """Split `quantity` off `lot` into a new lot of the same item, linked in the genealogy."""
    child = Lot(
        site=lot.site,
        item=lot.item,
        supplier=lot.supplier,
        supplier_lot=lot.supplier_lot,
        purchase_order=lot.purchase_order,
        work_order=lot.work_order,
        produced_on=lot.produced_on,
        received_on=lot.received_on,
        expires_on=lot.expires_on,
        unit=lot.unit,
    )
    return _one(
        Draft(
            kind=K.SPLIT,
            lot=lot,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            other_lot=child,
            location=location,
        )
    )


def lot_merge(
    *,
    source: Lot,
    target: Lot,
    quantity: Decimal,
    actor: Operator,
    key: str,
    via: str = Via.MANUAL,
) -> Event:
    """Merge `quantity` of `source` into `target`, a lot of the same item."""
    return _one(
        Draft(
            kind=K.MERGE,
            lot=source,
            quantity=quantity,
            key=key,
            via=via,
            actor=actor,
            other_lot=target,
        )
    )


def event_reverse(
    *, event: Event, reason: str, actor: Operator, key: str, via: str = Via.MANUAL
) -> Event:
    """Record a correction that cancels `event`; the original stays in the ledger."""
    return _one(
        Draft(
            kind=K.REVERSAL,
            lot=event.lot,
            quantity=event.quantity,
            key=key,
            via=via,
            actor=actor,
            reason=reason,
            reverses=event,
            step=event.step,
            sales_order=event.sales_order,
            purchase_order=event.purchase_order,
        )
    )


def chain_check_record(
    *, site: Site, report: "ChainReport", lots_differing: int | None = None
) -> "ChainCheck":
    """Keep the outcome of a hash-chain verification, for the audit trail page."""
    from tracelot.ledger.models import ChainCheck

    return ChainCheck.objects.create(
        lots_differing=lots_differing,
        site=site,
        checked_at=clock.now(),
        first_position=report.first_position,
        last_position=report.last_position,
        last_hash=report.last_hash,
        broken_at=report.broken_at,
        head_matches=report.head_matches,
    )


def chain_verify_new_events(*, site: Site) -> "ChainCheck":
    """Verify the events recorded since the last check that held, and keep the outcome."""
    from tracelot.ledger.selectors import chain_check_latest_good, ledger_verify

    good = chain_check_latest_good(site=site)
    head = ChainHead.objects.filter(site=site).values_list("position", flat=True).first()
    if good is not None and head == good.last_position:
        return good  # nothing new: no check that walked nothing
    report = ledger_verify(site=site, after=good)
    return chain_check_record(site=site, report=report)


def chain_verify_full(*, site: Site) -> "ChainCheck":
    """Verify every event of `site` from the first, recompute every lot from its events, and
    keep the outcome: what the audit page may call a whole verification."""
    from tracelot.ledger.projection import projection_verify
    from tracelot.ledger.selectors import ledger_verify

    report = ledger_verify(site=site)
    lots = projection_verify(site=site)
    return chain_check_record(site=site, report=report, lots_differing=lots.differing)
