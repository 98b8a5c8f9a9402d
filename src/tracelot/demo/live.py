# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""The demo ends in a live plant: work for each role to do on the first visit.

The history before today is closed. Here, through the same services a planner and a quality
manager use: an inspection plan (in both languages) for every item the demo inspects; today's
and tomorrow's work orders open on both lines, with steps generated from the routing; open
sales orders for finished goods that are released and on hand; open purchase orders for the
materials the open work orders need.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Sum
from django.utils import timezone

from tracelot.audit.services import ChangedBy
from tracelot.core import clock
from tracelot.demo.plant import FINISHED, Plant, said
from tracelot.ledger.models import Via
from tracelot.ledger.services import lot_receive
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import (
    ApprovedSupplier,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    WorkOrder,
)
from tracelot.orders.services import work_order_create
from tracelot.quality.models import InspectionPlan

WORK_ORDER_REASON = (
    "Demo plant: production plan for today and tomorrow / 演示工厂：今明两天的生产计划"
)
CASES_PER_WORK_ORDER = Decimal(120)


@dataclass(frozen=True)
class LiveSummary:
    plans: int
    work_orders: int
    sales_orders: int
    purchase_orders: int


def live_plant_open(*, plant: Plant, today: date) -> LiveSummary:
    """Open today's work: plans, work orders, sales and purchase orders (see the module).
    The demo users exist already (the builder made them for the plans)."""
    planner = ChangedBy(user=User.objects.get(username="planner"))
    plans = InspectionPlan.objects.filter(item__in=plant.items.values(), active=True).count()
    _approved_suppliers(plant)
    work_orders = _work_orders(plant, today, planner)
    sales = _sales_orders(plant, today)
    purchases = _purchase_orders(plant, today, work_orders)
    _deliveries(plant, today)
    return LiveSummary(plans, len(work_orders), sales, purchases)


def _approved_suppliers(plant: Plant) -> None:
    """Each material's suppliers, approved for it (receiving refuses any other)."""
    ApprovedSupplier.objects.bulk_create(
        [
            ApprovedSupplier(item=plant.items[code], supplier=supplier)
            for code, suppliers in plant.suppliers.items()
            for supplier in suppliers
        ],
        ignore_conflicts=True,
    )


def _work_orders(plant: Plant, today: date, by: ChangedBy) -> list[WorkOrder]:
    """One work order per line for today's early shift and tomorrow's early shift."""
    orders = []
    for day in (today, today + timedelta(days=1)):
        for number, line in enumerate(plant.lines, start=1):
            item = plant.items[FINISHED[(number - 1) % len(FINISHED)]]
            code = f"WO{day:%y%m%d}-L{number}A1"
            if WorkOrder.objects.filter(site=plant.site, number=code).exists():
                continue
            orders.append(
                work_order_create(
                    site=plant.site,
                    number=code,
                    item=item,
                    line=line,
                    shift=plant.shifts["A"],
                    planned_quantity=CASES_PER_WORK_ORDER,
                    ordered_on=today,
                    reason=said(WORK_ORDER_REASON),
                    by=by,
                )
            )
    return orders


def _sales_orders(plant: Plant, today: date) -> int:
    """An open order per customer for part of the finished goods released and on hand."""
    made = 0
    for index, customer in enumerate(plant.customers):
        code = FINISHED[index % len(FINISHED)]
        item = plant.items[code]
        on_hand = Lot.objects.filter(
            site=plant.site, item=item, status=LotStatus.RELEASED, expires_on__gte=today
        ).aggregate(total=Sum("quantity_on_hand"))["total"] or Decimal(0)
        wanted = min(Decimal(48), (on_hand / len(plant.customers)).to_integral_value())
        if wanted <= 0:
            continue
        order = SalesOrder.objects.create(
            site=plant.site, number=f"SO{today:%y%m%d}-OPEN{index + 1}", customer=customer,
            ordered_on=today,
        )  # fmt: skip
        SalesOrderLine.objects.create(order=order, item=item, quantity=wanted)
        made += 1
    return made


# Delivered this morning against the open orders, waiting in quarantine for quality.
DELIVERIES = {"FLOUR": Decimal(1000), "PORK": Decimal(600), "CABBAGE": Decimal(550)}


def _deliveries(plant: Plant, today: date) -> None:
    """This morning's deliveries, received through the ledger's own guards into quarantine
    (at 07:00, or now if the plant's day began less than that ago: never in the future)."""
    receiver = plant.warehouse[0]
    morning = datetime.combine(today, time(7), tzinfo=timezone.get_default_timezone())
    received_at = min(morning, clock.now())
    for code, quantity in DELIVERIES.items():
        item = plant.items[code]
        order = PurchaseOrder.objects.filter(
            site=plant.site, status=OrderStatus.OPEN, lines__item=item
        ).first()
        if order is None:
            continue
        received = today
        lot_receive(
            site=plant.site,
            item=item,
            quantity=quantity,
            supplier=order.supplier,
            supplier_lot=f"{order.supplier.code[2:]}-{received:%y%m%d}-01",
            purchase_order=order,
            location=plant.locations.get("CHILL" if code in ("PORK", "CABBAGE") else "RAW"),
            expires_on=received + timedelta(days=item.shelf_life_days or 365),
            actor=receiver,
            key=f"demo-delivery-{code}-{received}",
            via=Via.SCAN,
            occurred_at=received_at,
        )


def _purchase_orders(plant: Plant, today: date, work_orders: list[WorkOrder]) -> int:
    """An open order per material the open work orders draw, from its first supplier."""
    made = 0
    for index, (code, suppliers) in enumerate(sorted(plant.suppliers.items())):
        if not suppliers or not work_orders:
            continue
        order = PurchaseOrder.objects.create(
            site=plant.site, number=f"PO{today:%y%m%d}-OPEN{index + 1}", supplier=suppliers[0],
            ordered_on=today,
        )  # fmt: skip
        PurchaseOrderLine.objects.create(order=order, item=plant.items[code], quantity=Decimal(500))
        made += 1
    return made
