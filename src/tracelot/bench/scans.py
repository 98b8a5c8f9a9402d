"""Scan-to-answer time at the station on the bench plant: the target is under 50 ms (p95)."""

import time
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tracelot.bench.timing import summary_ms
from tracelot.capture.services import station_scan_input
from tracelot.items.models import BomLine, ItemKind
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import WorkOrder, WorkOrderStep
from tracelot.plants.models import Line, Operator

SCANS = 60
SCAN_TARGET_MS = 50


def measure_scans() -> dict[str, Any] | None:
    """Scan released lots into a fresh bench work order; time each answer, accepted or refused."""
    parent = (
        BomLine.objects.filter(parent__kind=ItemKind.INTERMEDIATE)
        .select_related("parent")
        .order_by("parent_id")
        .first()
    )
    operator, line = Operator.objects.first(), Line.objects.first()
    if parent is None or operator is None or line is None:
        return None
    item = parent.parent
    components = BomLine.objects.filter(parent=item).values_list("component_id", flat=True)
    lots = list(
        Lot.objects.filter(
            item_id__in=list(components), status=LotStatus.RELEASED, quantity_on_hand__gt=0
        )[:40]
    )
    if not lots:
        return None
    order = WorkOrder.objects.create(
        site=operator.site,
        number=f"BENCH-{uuid.uuid4().hex[:10]}",
        item=item,
        line=line,
        planned_quantity=Decimal(10**9),
        ordered_on=timezone.localdate(),
    )
    step = WorkOrderStep.objects.create(
        work_order=order,
        sequence=1,
        operation="bench",
        name="Bench",
        output_item=item,
        responsible=operator,
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
