"""The scan station: consume scanned lots into a work-order step, record its output lot.

How much one scan consumes (the quantity rule):
1. The barcode's own quantity when it has one in the lot's unit: (310n) net weight for lots
   counted in kg (or g), (30)/(37) counts for lots counted in pieces or cases. A scan is one
   package going in, so that quantity is what went in. Over what the step still needs of
   that component, it is refused as over-consumption (weigh out the rest, or fix the BOM).
2. Otherwise what the step still needs of that component (BOM quantity per unit x the work
   order's planned quantity, less what is consumed already), capped at the lot's on-hand.
3. A component that is already complete refuses any further scan (over-consumption).
The ledger's guards decide everything else (held, quarantine, expired, used up, not on the
BOM, more than on hand); a refusal writes nothing to the ledger.

Every scan, accepted or refused, is kept in ScanLog: an audit log of attempts for the
dashboard, not a ledger fact.
"""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import get_language, gettext

from tracelot.capture.models import ScanLog, ScanResult
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.core.retry import deadlock_retried
from tracelot.core.text import visible
from tracelot.gs1.scan import Scan, lost_separator, scan_parse
from tracelot.items.models import BomLine, Unit, amount
from tracelot.items.selectors import bom_quantity_in
from tracelot.ledger import guards
from tracelot.ledger import services as ledger
from tracelot.ledger.keys import key_for
from tracelot.ledger.kinds import Role, kinds_where, standing
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.ledger.resolver import ONE_LOT, lot_named
from tracelot.ledger.selectors import event_for_key
from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrderStep
from tracelot.plants.models import Operator, Station

_COUNT_UNITS = (Unit.PCS, Unit.CASE)
INPUT_KINDS = kinds_where(lambda spec: spec.role == Role.INPUT)


@dataclass
class BomRow:
    """One component of a step: what the order needs, what is consumed, from which lots."""

    item_id: int
    item_code: str
    item_name: str
    unit: str
    required: Decimal
    consumed: Decimal = Decimal(0)
    lots: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return max(self.required - self.consumed, Decimal(0))

    @property
    def complete(self) -> bool:
        return self.consumed >= self.required


@dataclass
class ScanAnswer:
    """What the station shows after a scan: green or red, why, and the BOM as it now stands."""

    ok: bool
    message: str
    code: str = ""
    lot: Lot | None = None
    quantity: Decimal | None = None
    bom: list[BomRow] = field(default_factory=list)


def bom_progress(*, step: WorkOrderStep) -> list[BomRow]:
    """Each component of the step's bill of materials: needed for the order, consumed so far.

    The step makes as much of its output item as the order's planned quantity holds of it
    (items.selectors.bom_quantity_in): dough for 120 cases of dumplings, not 120 kg of it.
    """
    work_order = step.work_order
    per_unit = bom_quantity_in(parent_id=work_order.item_id, component_id=step.output_item_id)
    planned = work_order.planned_quantity * (per_unit if per_unit is not None else 1)
    rows = {
        line.component_id: BomRow(
            item_id=line.component_id,
            item_code=line.component.code,
            item_name=line.component.display_name,
            unit=line.component.unit,
            required=(line.quantity * planned).quantize(Decimal("0.0001")),
        )
        for line in BomLine.objects.filter(parent_id=step.output_item_id)
        .exclude(component_id=step.output_item_id)  # rework of the output is allowed, not needed
        .select_related("component")
        .order_by("component__code")
    }
    # One query for what went in, net of reversals (event_reverse keeps the step).
    by_lot: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    events = Event.objects.filter(step=step, kind__in=[*INPUT_KINDS, EventKind.REVERSAL])
    for kind, reversed_kind, item_id, code, quantity in events.values_list(
        "kind", "reverses__kind", "lot__item_id", "lot__code", "quantity"
    ):
        spec, signed = standing(kind, reversed_kind, quantity)
        if spec.role == Role.INPUT:
            by_lot[(item_id, code)] += signed
    for (item_id, code), quantity in sorted(by_lot.items(), key=lambda pair: pair[0][1]):
        row = rows.get(item_id)
        if row is not None and quantity > 0:
            row.consumed += quantity
            row.lots.append(code)
    return list(rows.values())


def station_scan_input(
    *,
    step: WorkOrderStep,
    text: str,
    operator: Operator,
    key: str,
    station: Station | None = None,
    gs_substitute: str | None = None,
    user_id: int | None = None,
    weighed: Decimal | None = None,
) -> ScanAnswer:
    """Consume the scanned lot into `step`; a refusal says why and changes nothing in the ledger.

    `weighed`: what the operator weighed out of the lot, instead of what the step still needs.

    `key` is the page's id for one physical scan (a UUID made in the browser): a scan sent
    twice is recorded once. The station's own GS substitute applies unless one is given.
    """
    started = time.perf_counter()
    if gs_substitute is None and station is not None:
        gs_substitute = station.gs_substitute
    scan = scan_parse(text=text, gs_substitute=gs_substitute or None)
    lot: Lot | None = None
    refusal: Refused | None = None
    try:
        lot = lot_named(scan=scan, forms=ONE_LOT, sites={step.work_order.site_id})
    except Refused as refused:
        refusal = _with_separator_hint(refused, scan)

    # One transaction for the consumption and its scan log: one commit (one flush to disk)
    # per scan, not two. A refusal rolls back to _consume's savepoint: the log alone stays.
    def consume_and_log() -> ScanAnswer:
        refused_here = refusal
        with transaction.atomic():
            if lot is not None and refused_here is None:
                try:
                    answer = _consume(
                        step=step,
                        scan=scan,
                        lot=lot,
                        operator=operator,
                        key=key,
                        station=station,
                        weighed=weighed,
                    )
                except Refused as refused:
                    refused_here = refused
            messages: dict[str, str] = {}
            if refused_here is not None:
                answer = ScanAnswer(
                    ok=False, lot=lot, code=refused_here.code, message=refused_here.message
                )
                messages = _in_every_language(
                    refused_here,
                    lambda: _evaluate(step=step, scan=scan, operator=operator, key=key,
                                      station=station, weighed=weighed),
                )  # fmt: skip
            answer.bom = bom_progress(step=step)
            ScanLog.objects.create(
                site_id=step.work_order.site_id,
                scanned_at=clock.now(),
                station=station,
                step=step,
                operator=operator,
                user_id=user_id,
                text=visible(text)[:300],
                lot=answer.lot,
                result=ScanResult.OK if answer.ok else ScanResult.REFUSED,
                code=answer.code,
                message=answer.message[:300],
                messages={code: text[:300] for code, text in messages.items()},
                duration_ms=(time.perf_counter() - started) * 1000,
            )
        return answer

    return deadlock_retried(consume_and_log)


def _evaluate(
    *,
    step: WorkOrderStep,
    scan: Scan,
    operator: Operator,
    key: str,
    station: Station | None,
    weighed: Decimal | None,
) -> None:
    """The scan's whole path again, for its refusal in another language (_in_every_language)."""
    try:
        lot = lot_named(scan=scan, forms=ONE_LOT, sites={step.work_order.site_id})
    except Refused as refused:
        raise _with_separator_hint(refused, scan) from None
    _consume(step=step, scan=scan, lot=lot, operator=operator, key=key, station=station,
             weighed=weighed)  # fmt: skip


def _in_every_language(refusal: Refused, again: Callable[[], None]) -> dict[str, str]:
    """A refusal's message in each language, so the log reads in its reader's language.

    A refused scan wrote nothing, so asking again in another language is safe; it runs in a
    savepoint that is always rolled back, should the answer have changed in between.
    """
    messages = {get_language(): refusal.message}
    for language, _name in settings.LANGUAGES:
        if language in messages:
            continue
        with translation.override(language):
            try:
                with transaction.atomic():
                    again()
                    transaction.set_rollback(True)
            except Refused as refused:
                messages[language] = refused.message
    return messages


def _with_separator_hint(refusal: Refused, scan: Scan) -> Refused:
    """A GS1 scan that names nothing because the separators were lost says how to fix it."""
    found = lost_separator(scan) if refusal.code == "lot_unknown" else None
    if found is None:
        return refusal
    if found:
        hint = gettext(
            "This scanner seems to send %(char)s for the GS1 separator: enter %(char)s as "
            "the GS substitute under Station settings below, then scan again."
        ) % {"char": found}
    else:
        hint = gettext(
            "This barcode seems to have lost its GS1 separators: set the scanner to send a "
            "character for them (such as ^) and enter it as the GS substitute under Station "
            "settings below."
        )
    return Refused(refusal.code, f"{refusal.message} {hint}")


@transaction.atomic
def _consume(
    *,
    step: WorkOrderStep,
    scan: Scan,
    lot: Lot,
    operator: Operator,
    key: str,
    station: Station | None,
    weighed: Decimal | None = None,
) -> ScanAnswer:
    key = key_for("scan", key)
    # Two stations on one step must not both take the last kilo the order needs: the rule
    # reads what is consumed, so readers of the step queue here (PostgreSQL; SQLite's
    # write transaction already serialises them).
    list(WorkOrderStep.objects.select_for_update().filter(pk=step.pk).values_list("pk"))
    # A scan sent again asks for what it got the first time; the quantity was the station's
    # answer, not the operator's, so it is the recorded one. Whether it is the same request
    # (or a key reused for another lot) is the ledger's one rule, in record().
    earlier = event_for_key(site_id=lot.site_id, key=key)
    event = ledger.lot_consume(
        step=step,
        lot=lot,
        quantity=earlier.quantity
        if earlier
        else _quantity(step=step, scan=scan, lot=lot, weighed=weighed),
        actor=operator,
        key=key,
        via=Via.SCAN,
        station=station,
    )
    message = gettext("%(code)s: %(quantity)s consumed.") % {
        "code": lot.code,
        "quantity": amount(event.quantity, event.unit),
    }
    return ScanAnswer(ok=True, lot=lot, quantity=event.quantity, message=message)


def _quantity(*, step: WorkOrderStep, scan: Scan, lot: Lot, weighed: Decimal | None) -> Decimal:
    """How much of `lot` this scan consumes: see the rule in the module docstring."""
    # The lot's own refusal first: a held lot scanned once its component is complete must be
    # answered "on hold", or the operator puts it back on the rack for the next order.
    guards.lot_available(lot, clock.localdate())
    if scan.expiry is not None and scan.expiry < clock.localdate():
        # The label itself says so, even where our lot has no expiry date of its own.
        raise Refused(
            "lot_expired",
            gettext("Lot %(code)s expired on %(date)s.")
            % {"code": lot.code, "date": scan.expiry.isoformat()},
        )
    row = next((row for row in bom_progress(step=step) if row.item_id == lot.item_id), None)
    on_hand = lot.quantity_on_hand  # more than zero: lot_available refuses a used-up lot
    if row is None:
        # Not on the BOM: the ledger's guard refuses it and names the problem.
        return on_hand
    if row.complete:
        raise Refused(
            "over_consumption",
            gettext("%(item)s is complete for this step: %(required)s consumed.")
            % {"item": row.item_name, "required": amount(row.required, row.unit)},
        )
    given = weighed if weighed is not None else _label_quantity(scan, lot)
    if given is None:
        return min(row.remaining, on_hand)
    guards.quantity_recordable(given)  # NaN or 1e30 cannot even be compared below
    if given > row.remaining:
        message = (
            gettext("%(quantity)s weighed, but %(item)s needs only %(remaining)s more.")
            if weighed is not None
            else gettext("The label says %(quantity)s, but %(item)s needs only %(remaining)s more.")
        )
        raise Refused(
            "over_consumption",
            message
            % {
                "quantity": amount(given, row.unit),
                "item": row.item_name,
                "remaining": amount(row.remaining, row.unit),
            },
        )
    return given


def _label_quantity(scan: Scan, lot: Lot) -> Decimal | None:
    """The barcode's quantity in the lot's unit, or None when it has none that fits."""
    if scan.quantity is None or scan.quantity <= 0:
        return None
    if scan.quantity_unit == "kg":
        if lot.unit == Unit.KG:
            return scan.quantity
        if lot.unit == Unit.G:
            return scan.quantity * 1000
        return None
    return scan.quantity if lot.unit in _COUNT_UNITS else None


def station_scrap_record(
    *,
    step: WorkOrderStep,
    text: str,
    quantity: Decimal,
    reason: str,
    operator: Operator,
    key: str,
    gs_substitute: str | None = None,
) -> Event:
    """Scrap `quantity` of the scanned lot at `step`, with the reason (the ledger's guards)."""
    scan = scan_parse(text=text, gs_substitute=gs_substitute)
    lot = lot_named(scan=scan, forms=ONE_LOT, sites={step.work_order.site_id})
    return ledger.lot_scrap(
        lot=lot,
        quantity=quantity,
        reason=reason,
        actor=operator,
        key=key_for("scrap", key),
        via=Via.SCAN,
        step=step,
    )


def station_output_record(
    *,
    step: WorkOrderStep,
    quantity: Decimal,
    operator: Operator,
    key: str,
    station: Station | None = None,
    over_bom_reason: str = "",
) -> Lot:
    """Record the step's output lot, numbered by the lot-number rules; a repeat returns it.

    `over_bom_reason`: a quality user's reason for more output than the inputs make."""
    event = ledger.lot_produce(
        step=step,
        quantity=quantity,
        actor=operator,
        key=key_for("output", key),
        via=Via.SCAN,
        station=station,
        over_bom_reason=over_bom_reason,
    )
    return event.lot
