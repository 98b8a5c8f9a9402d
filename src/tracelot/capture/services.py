"""The scan station: consume scanned lots into a work-order step, record its output lot."""

import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext

from tracelot.capture.models import ScanLog, ScanResult
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.ledger import services as ledger
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrderStep
from tracelot.plants.models import Operator, Station
from tracelot.warehouse.services import lot_for_scan

GS = "\x1d"


@dataclass
class BomRow:
    item_code: str
    item_name: str
    unit: str
    required: Decimal
    consumed: Decimal
    lots: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return max(self.required - self.consumed, Decimal(0))

    @property
    def complete(self) -> bool:
        return self.consumed >= self.required


@dataclass
class ScanAnswer:
    ok: bool
    message: str
    code: str = ""
    lot: Lot | None = None


def bom_progress(*, step: WorkOrderStep) -> list[BomRow]:
    """Each component of the step's bill of materials: needed for the order, consumed so far."""
    planned = step.work_order.planned_quantity
    consumed = {
        row["lot__item_id"]: row
        for row in Event.objects.filter(step=step, kind=EventKind.CONSUME)
        .values("lot__item_id")
        .annotate(total=Sum("quantity"))
    }
    lots: dict[int, list[str]] = {}
    for item_id, code in Event.objects.filter(step=step, kind=EventKind.CONSUME).values_list(
        "lot__item_id", "lot__code"
    ):
        lots.setdefault(item_id, []).append(code)
    rows = []
    for line in step.output_item.bom_lines.select_related("component").order_by("component__code"):
        if line.component_id == step.output_item_id:
            continue  # rework of the output itself is allowed, never required
        total = consumed.get(line.component_id, {}).get("total") or Decimal(0)
        rows.append(
            BomRow(
                item_code=line.component.code,
                item_name=line.component.display_name,
                unit=line.component.unit,
                required=(line.quantity * planned).quantize(Decimal("0.0001")),
                consumed=Decimal(total),
                lots=sorted(set(lots.get(line.component_id, []))),
            )
        )
    return rows


def _quantity_for(step: WorkOrderStep, lot: Lot) -> Decimal:
    # What the order still needs of this component, but never more than the lot holds;
    # a lot not on the BOM is left to the ledger's guard, which names the problem.
    for row in bom_progress(step=step):
        if row.item_code == lot.item.code:
            if row.complete:
                raise Refused(
                    "component_complete",
                    gettext("%(item)s is already complete for this step.")
                    % {"item": row.item_name},
                )
            return min(row.remaining, lot.quantity_on_hand) or lot.quantity_on_hand
    return lot.quantity_on_hand


def station_scan_input(
    *,
    step: WorkOrderStep,
    text: str,
    operator: Operator,
    key: str,
    gs_substitute: str = "",
    user_id: int | None = None,
    station: Station | None = None,
) -> ScanAnswer:
    """Consume the scanned lot into `step`; a refusal changes nothing in the ledger."""
    started = time.perf_counter()
    substitute = gs_substitute or (station.gs_substitute if station is not None else "")
    raw = text.replace(substitute, GS) if substitute else text
    lot = None
    try:
        lot = lot_for_scan(text=raw)
        event = ledger.lot_consume(
            step=step,
            lot=lot,
            quantity=_quantity_for(step, lot),
            actor=operator,
            key=key,
            via=Via.SCAN,
            station=station,
        )
        if event.lot_id != lot.pk:
            # The key came back with another scan's event: a client that reused its key.
            raise Refused(
                "key_reused", gettext("This scan reused the key of another scan; scan again.")
            )
        answer = ScanAnswer(
            ok=True,
            lot=lot,
            message=gettext("%(code)s: %(quantity)s %(unit)s consumed.")
            % {"code": lot.code, "quantity": event.quantity.normalize(), "unit": event.unit},
        )
    except Refused as refusal:
        answer = ScanAnswer(ok=False, lot=lot, code=refusal.code, message=refusal.message)
    ScanLog.objects.create(
        site_id=step.work_order.site_id,
        scanned_at=clock.now(),
        step=step,
        operator=operator,
        user_id=user_id,
        text=text[:300],
        lot=answer.lot,
        result=ScanResult.OK if answer.ok else ScanResult.REFUSED,
        code=answer.code,
        message=answer.message[:300],
        duration_ms=(time.perf_counter() - started) * 1000,
    )
    return answer


def station_output_record(
    *, step: WorkOrderStep, quantity: Decimal, operator: Operator, key: str
) -> Lot:
    """Record the step's output lot, numbered by the lot-number rules."""
    return ledger.lot_produce(
        step=step, quantity=quantity, actor=operator, key=key, via=Via.SCAN
    ).lot
