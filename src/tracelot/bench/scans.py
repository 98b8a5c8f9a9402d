"""Scan-to-answer time at the station on the bench plant: the target is under 50 ms (p95)."""

import time
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tracelot.bench.timing import summary_ms
from tracelot.capture.services import station_scan_input
from tracelot.items.models import BomLine, Item, ItemKind
from tracelot.ledger import services as ledger
from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrder, WorkOrderStep
from tracelot.partners.models import Supplier
from tracelot.plants.models import Line, Operator

SCANS = 60
LOTS = 40  # 40 scans accepted, then 20 refused: those lots are used up
SCAN_TARGET_MS = 50


def bench_lot_receive(
    *, item: Item, quantity: Decimal, actor: Operator, supplier: Supplier, key_prefix: str
) -> Lot:
    """A fresh released lot of `item` for the bench's scans, received through the ledger
    under keys that start with `key_prefix` (bench data stays recognisable in the ledger)."""
    key = f"{key_prefix}-{uuid.uuid4().hex}"
    lot = ledger.lot_receive(
        site=actor.site,
        item=item,
        quantity=quantity,
        supplier=supplier,
        supplier_lot=key[:20],
        actor=actor,
        key=key,
    ).lot
    ledger.lot_release(lot=lot, reason="bench", actor=actor, key=f"{key}-release")
    lot.refresh_from_db()
    return lot


def bench_step_create(
    *, number: str, item: Item, line: Line, responsible: Operator, operation: str
) -> WorkOrderStep:
    """A work order of `item` on `line` big enough never to fill, and its one step."""
    order = WorkOrder.objects.create(
        site_id=line.site_id,
        number=number,
        item=item,
        line=line,
        planned_quantity=Decimal(10**9),
        ordered_on=timezone.localdate(),
    )
    return WorkOrderStep.objects.create(
        work_order=order,
        sequence=1,
        operation=operation,
        name="Bench",
        output_item=item,
        responsible=responsible,
    )


def measure_scans() -> dict[str, Any] | None:
    """Scan fresh released lots into a fresh bench work order; time each answer, accepted or
    refused (a lot scanned a second time is used up)."""
    parent = (
        BomLine.objects.filter(parent__kind=ItemKind.INTERMEDIATE)
        .select_related("parent")
        .order_by("parent_id")
        .first()
    )
    operator, line = Operator.objects.first(), Line.objects.first()
    supplier = Supplier.objects.order_by("pk").first()
    if parent is None or operator is None or line is None or supplier is None:
        return None
    item = parent.parent
    components = list(
        BomLine.objects.filter(parent=item)
        .exclude(component_id=item.pk)  # rework of the output is not what a step needs
        .select_related("component")
    )
    # Fresh lots each run: a scan consumes all of a lot, so the plant's own released lots
    # are used up by the first run on a reused bench plant, and later runs had none.
    lots = [
        bench_lot_receive(
            item=components[n % len(components)].component,
            quantity=Decimal(100),
            actor=operator,
            supplier=supplier,
            key_prefix="bench-scans",
        )
        for n in range(LOTS)
    ]
    step = bench_step_create(
        number=f"BENCH-{uuid.uuid4().hex[:10]}",
        item=item,
        line=line,
        responsible=operator,
        operation="bench",
    )
    accepted: list[float] = []
    refused: list[float] = []
    for n in range(SCANS):
        lot = lots[n % len(lots)]
        started = time.perf_counter()
        answer = station_scan_input(
            step=step, text=lot.code, operator=operator, key=uuid.uuid4().hex
        )
        (accepted if answer.ok else refused).append(time.perf_counter() - started)
    every = accepted + refused
    p95 = summary_ms(every)["p95"]
    return {
        "accepted_ms": summary_ms(accepted),
        "refused_ms": summary_ms(refused),
        "all_ms": summary_ms(every),
        "scans": len(every),
        "under_target": p95 < SCAN_TARGET_MS,
    }
