# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Build the demo plant's history: days of receipts, production, QC and shipments.

The plant runs two lines on three shifts. Each shift, each line runs one or more work orders
(more at larger scales); the number of days is chosen so the build makes about the number of
lots asked for, ending on `until` (today by default). Everything random comes from one
`random.Random(seed)`, so a seed and a day give the same plant every time.
"""

import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tracelot.demo.deferred import foreign_keys_deferred, indexes_deferred
from tracelot.demo.fastledger import FastLedger, LotState, local_midnight
from tracelot.demo.inspections import plans_create
from tracelot.demo.live import live_plant_open
from tracelot.demo.logins import demo_logins_ensure
from tracelot.demo.plant import FINISHED, Plant, plant_create
from tracelot.demo.production import Plan, WorkOrderRun, plan_work_order
from tracelot.demo.world import RAW_LOT_SIZE, World
from tracelot.ledger.models import EventKind, Via
from tracelot.lots.models import LotStatus
from tracelot.orders.models import SalesOrder, SalesOrderLine
from tracelot.quality.services import inspections_from_ledger
from tracelot.reports.figures import figures_rebuild

K = EventKind
HOUR = timedelta(hours=1)
# Lots a work order leaves on average (4 half-run intermediates x 2, 10-14 pallets, its share
# of raw receipts and rework); measured on builds of 20,000 and 1,000,000 lots.
LOTS_PER_WORK_ORDER = 21.9
FLUSH_EVENTS = 40_000
SHIFT_STARTS = {"A": 6, "B": 14, "C": 22}
# Finished goods wait about two days in the cold store before they are shipped.
SHIP_AFTER = timedelta(hours=40)


@dataclass
class Summary:
    lots: int
    events: int
    edges: int
    work_orders: int
    purchase_orders: int
    sales_orders: int
    suppliers: int
    customers: int
    first_day: date
    last_day: date
    seconds: float


def demo_scale(lots: int) -> tuple[int, int]:
    """Work orders per line and shift, and days of history, for about `lots` lots."""
    per_shift = max(1, min(8, round(lots / 125_000)))
    days = max(2, math.ceil(lots / (2 * 3 * per_shift * LOTS_PER_WORK_ORDER)))
    return per_shift, days


class DemoBuilder:
    """Generate the plant and its history into an empty database."""

    def __init__(self, *, lots: int, seed: int, until: date,
                 on_progress: Callable[[int], None] | None = None) -> None:  # fmt: skip
        self.target = lots
        self.rng = random.Random(seed)  # noqa: S311 - made-up history, not secrets
        self.per_shift, self.days = demo_scale(lots)
        self.first_day = until - timedelta(days=self.days)
        self.on_progress = on_progress or (lambda made: None)
        self.to_ship: deque[LotState] = deque()
        self.held: list[tuple[LotState, bool]] = []  # (lot, is raw material)
        self.rework: dict[str, list[LotState]] = {code: [] for code in FINISHED}
        self.returns: list[tuple[LotState, int, Decimal]] = []
        self.work_orders = 0
        self.shipments = 0
        self.dispositions = 0

    def build(self) -> Summary:
        started = time.monotonic()
        with transaction.atomic():
            plant = plant_create()
            ledger = FastLedger(site_id=plant.site.pk)
            demo_logins_ensure()  # the quality manager saves the plans
            plans = plans_create(plant)
        self.world = World(plant=plant, ledger=ledger, rng=self.rng, plans=plans)
        day = last_day = self.first_day
        with indexes_deferred(), foreign_keys_deferred():
            while day < self.first_day + timedelta(days=self.days) and not self.done:
                self.run_day(day)
                # A commit costs a flush to disk (synchronous=FULL): commit every few days.
                if len(ledger.events) >= FLUSH_EVENTS:
                    ledger.flush()
                day, last_day = day + timedelta(days=1), day
            ledger.flush()
        with transaction.atomic():
            self.world.sequences_save()
            ledger.sequences_reset()
            live = live_plant_open(plant=plant, today=self.first_day + timedelta(days=self.days))
            inspections_from_ledger(site_id=plant.site.pk)
        figures_rebuild()  # the dashboard's first view would count every day otherwise
        counts = ledger.counts
        return Summary(
            lots=counts["lot"], events=counts["event"], edges=counts["edge"],
            work_orders=counts["workorder"] + live.work_orders,
            purchase_orders=counts["purchaseorder"] + live.purchase_orders,
            sales_orders=counts["salesorder"] + live.sales_orders,
            suppliers=sum(len(s) for s in plant.suppliers.values()),
            customers=len(plant.customers), first_day=self.first_day, last_day=last_day,
            seconds=time.monotonic() - started,
        )  # fmt: skip

    @property
    def done(self) -> bool:
        return self.world.ledger.lots_made >= self.target

    @property
    def plant(self) -> Plant:
        return self.world.plant

    def at(self, day: date, hour: float) -> None:
        """Move the clock to `hour` o'clock on `day` unless it is already later."""
        moment = local_midnight(day, timezone.get_default_timezone()) + hour * HOUR
        self.world.now = max(self.world.now, moment)

    def run_day(self, day: date) -> None:
        world = self.world
        self.at(day, 6)
        world.gap = 25
        self.returns_handle()
        self.holds_decide()
        plans = self.plan_day(day)
        self.receive_for(plans)
        self.ship()
        for shift in ("A", "B", "C"):
            start = SHIFT_STARTS[shift]
            if shift == "B":
                self.at(day, start)
                world.gap = 25
                self.ship()
            self.at(day, start + 0.5)
            window = (start + 7.8) * HOUR - (world.now - local_midnight(day, world.tz))
            world.gap = window.total_seconds() / self.per_shift / 2 / 75
            for plan in plans[shift]:
                self.work_order(plan)
                if self.done:
                    return

    def plan_day(self, day: date) -> dict[str, list[Plan]]:
        plans: dict[str, list[Plan]] = {}
        for shift in ("A", "B", "C"):
            plans[shift] = []
            products = [self.rng.choice(("DPC1K", "DPC1K", "DPC500")) for _line in range(2)]
            for n in range(self.per_shift):
                for line in (0, 1):
                    number = f"WO{day:%y%m%d}-L{line + 1}{shift}{n + 1}"
                    plans[shift].append(
                        plan_work_order(
                            self.rng,
                            item_code=products[line],
                            line=line,
                            shift=shift,
                            number=number,
                        )
                    )
        return plans

    def receive_for(self, plans: dict[str, list[Plan]]) -> None:
        """Receive enough of each raw material for the day, with a fifth to spare."""
        needs: dict[str, Decimal] = {code: Decimal(0) for code in RAW_LOT_SIZE}
        for shift_plans in plans.values():
            for plan in shift_plans:
                for code, quantity in plan.needs().items():
                    needs[code] += quantity
        for code, need in needs.items():
            while self.world.available(code) < need * Decimal("1.2"):
                # The third delivery of the first day fails its incoming inspection.
                fail = self.world.po_count == 2 or self.rng.random() < 0.03
                lot = self.world.receive(code, RAW_LOT_SIZE[code](self.rng), fail=fail)
                if fail:
                    self.held.append((lot, True))

    def work_order(self, plan: Plan) -> None:
        # The first work orders show each kind of QC failure at least once, so even a tiny
        # build has a re-frozen lot, a failed pallet, a rework and a scrapped pallet.
        n = self.work_orders
        rework, self.rework[plan.item_code] = self.rework[plan.item_code], []
        outcome = WorkOrderRun(self.world, plan).run(
            rework=rework, refreeze=n == 0, fail=n in (1, 2, 3)
        )
        self.work_orders += 1
        self.to_ship.extend(outcome.released)
        self.held.extend((lot, False) for lot in outcome.held)
        self.on_progress(self.world.ledger.lots_made)

    def holds_decide(self) -> None:
        """The quality manager decides on yesterday's holds: re-test, rework or scrap."""
        world, manager = self.world, self.plant.quality[0]
        held, self.held = self.held, []
        for lot, raw in held:
            n, self.dispositions = self.dispositions, self.dispositions + 1
            roll = self.rng.random()
            if raw:
                decision = "scrap" if n == 0 or roll < 0.5 else "retest"
            else:
                decision = ("retest", "rework", "scrap")[n - 1] if n in (1, 2, 3) else (
                    "retest" if roll < 0.4 else "rework" if roll < 0.7 else "scrap")  # fmt: skip
            if decision == "scrap":
                reason = REJECT_REASON if raw else SCRAP_REASON
                world.record(K.SCRAP, lot, lot.quantity_on_hand, manager, via=Via.MANUAL,
                             reason=reason)  # fmt: skip
                continue
            if decision == "rework":
                world.status_event(K.RELEASE, lot, manager, reason=REWORK_REASON)
                self.rework[self.item_code(lot)].append(lot)
                continue
            world.inspect(lot, self.item_code(lot), manager)  # the re-test finds it good
            world.status_event(K.RELEASE, lot, manager, reason=RETEST_REASON)
            if raw:
                world.stock[self.item_code(lot)].append(lot)
            else:
                self.to_ship.append(lot)

    def item_code(self, lot: LotState) -> str:
        return next(code for code, item in self.plant.items.items() if item.pk == lot.item_id)

    def ship(self) -> None:
        """Ship released pallets that have waited long enough, in sales orders of 3-9 pallets."""
        world, rng = self.world, self.rng
        ready = []
        while self.to_ship and self.to_ship[0].created_at <= world.now - SHIP_AFTER:
            lot = self.to_ship.popleft()
            if lot.status == LotStatus.RELEASED and lot.quantity_on_hand > 0:
                ready.append(lot)
        while ready:
            size = rng.randint(3, 9)
            batch, ready = ready[:size], ready[size:]
            self.sales_order(batch, ready)

    def sales_order(self, batch: list[LotState], rest: list[LotState]) -> None:
        world, rng = self.world, self.rng
        day = world.local_day()
        self.shipments += 1
        order = world.ledger.add_row(
            SalesOrder, site_id=self.plant.site.pk, number=f"SO{day:%y%m%d}-{self.shipments:05d}",
            status="closed", ordered_on=day - timedelta(days=rng.randint(1, 4)),
            customer_id=rng.choice(self.plant.customers).pk,
        )  # fmt: skip
        clerk = rng.choice(self.plant.warehouse)
        shipped: dict[int, Decimal] = {}
        for lot in batch:
            quantity = lot.quantity_on_hand
            if quantity > 20 and rng.random() < 0.04:  # part of a pallet; the rest goes later
                quantity = Decimal(rng.randint(10, int(quantity) - 10))
                rest.insert(0, lot)
            world.record(K.SHIP, lot, quantity, clerk, via=Via.SCAN, sales_order_id=order)
            shipped[lot.item_id] = shipped.get(lot.item_id, Decimal(0)) + quantity
            if (self.shipments == 1 and not self.returns) or rng.random() < 0.002:
                self.returns.append((lot, order, Decimal(min(3, int(quantity)))))
        for item_id, quantity in shipped.items():
            world.ledger.add_row(SalesOrderLine, order_id=order, item_id=item_id, quantity=quantity)

    def returns_handle(self) -> None:
        """Cases a customer sent back: into quarantine, inspected, scrapped."""
        world = self.world
        for lot, order, quantity in self.returns:
            clerk = self.rng.choice(self.plant.warehouse)
            world.record(K.RETURN, lot, quantity, clerk, via=Via.MANUAL, sales_order_id=order,
                         location_id=self.plant.locations["DSP"].pk, reason=RETURN_REASON)  # fmt: skip
            data = {"characteristic": "packaging / 包装", "result": "fail",
                    "value": "cartons crushed / 纸箱压坏"}  # fmt: skip
            world.status_event(K.INSPECT, lot, self.plant.quality[0], data=data)
            world.record(K.SCRAP, lot, quantity, self.plant.quality[0], via=Via.MANUAL,
                         reason=SCRAP_RETURN_REASON)  # fmt: skip
        self.returns = []


RETEST_REASON = "Re-test passed / 复检合格"
REWORK_REASON = "Released for repacking / 放行返工重新包装"
SCRAP_REASON = "Failed re-test, scrapped / 复检不合格，报废"
REJECT_REASON = "Rejected at incoming inspection, returned to supplier / 来料拒收，退回供应商"
RETURN_REASON = "Cartons crushed in transit / 运输途中纸箱压损"
SCRAP_RETURN_REASON = "Returned goods destroyed / 退货销毁"
