"""The state of a demo build: the clock, the lot numbering, raw-material stock and event helpers."""

import random
from collections import deque
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tracelot.demo.fastledger import Actor, FastLedger, LotState, Step
from tracelot.demo.inspections import PLANS, finding
from tracelot.demo.plant import Plant, said
from tracelot.items.models import Item, ItemKind
from tracelot.ledger.kinds import KINDS
from tracelot.ledger.models import EventKind, Via
from tracelot.lots.models import LotSequence, LotStatus
from tracelot.lots.rules import period_key, template_parse, template_render, template_scope
from tracelot.orders.models import PurchaseOrder, PurchaseOrderLine
from tracelot.partners.models import Supplier
from tracelot.plants.models import Operator
from tracelot.quality.models import InspectionPlan
from tracelot.quality.services import inspection_event_data

K = EventKind
_LETTERS = "ABCDEF"


def supplier_lot(style: str, day: date, rng: random.Random) -> str:
    """A supplier's own lot number in that supplier's style, e.g. "FL240518A"."""
    text = (
        style.replace("{yyyy}", f"{day:%Y}")
        .replace("{yy}", f"{day:%y}")
        .replace("{mm}", f"{day:%m}")
        .replace("{dd}", f"{day:%d}")
        .replace("{julian}", f"{day.timetuple().tm_yday:03d}")
        .replace("{letter}", rng.choice(_LETTERS))
    )
    for width in range(1, 6):
        token = f"{{n{width}}}"
        if token in text:
            text = text.replace(token, str(rng.randrange(10**width)).zfill(width))
    return text


class Numbering:
    """Lot codes by the plant's lot rules, counted in memory like lots.services counts them."""

    def __init__(self, plant: Plant) -> None:
        self.plant = plant
        self.rules = {kind: (rule, template_parse(template=rule.template))
                      for kind, rule in plant.rules.items()}  # fmt: skip
        self.last: dict[tuple[int, str, str], int] = {}
        self.keys: dict[tuple[Any, ...], tuple[int, str, str]] = {}

    def code(self, item: Item, on: date, line: str = "", shift: str = "", order: str = "") -> str:
        rule, parts = self.rules.get(item.kind, self.rules[""])
        values = {"item": item.code, "kind": item.kind, "site": self.plant.site.code,
                  "line": line, "shift": shift, "order": order}  # fmt: skip
        memo = (rule.pk, on, item.code, line, shift, order)
        key = self.keys.get(memo)
        if key is None:
            if len(self.keys) > 10_000:
                self.keys.clear()
            scope = template_scope(parts=parts, values=values)
            key = self.keys[memo] = (rule.pk, period_key(reset=rule.reset, on=on), scope)
        sequence = self.last.get(key, 0) + 1
        self.last[key] = sequence
        return template_render(parts=parts, values=values, on=on, sequence=sequence)

    def save(self) -> None:
        """Store where each count stopped, so live allocation carries on after the demo."""
        LotSequence.objects.bulk_create(
            (
                LotSequence(rule_id=rule_id, period=period, scope=scope, last_value=last)
                for (rule_id, period, scope), last in self.last.items()
            ),
            batch_size=2000,
        )


class World:
    """One build's moving parts; `now` only moves forward, and every event advances it."""

    def __init__(
        self,
        *,
        plant: Plant,
        ledger: FastLedger,
        rng: random.Random,
        plans: dict[str, InspectionPlan],
    ) -> None:
        self.plant = plant
        self.plans = plans
        self.ledger = ledger
        self.rng = rng
        self.tz = timezone.get_default_timezone()
        self.now = datetime.min.replace(tzinfo=UTC)
        self.recorded = self.now
        self.gap = 30.0  # mean seconds between events; set per activity
        self.numbering = Numbering(plant)
        self.actors = {
            op.pk: Actor(op.pk, op.team_id, _team_shift(plant, op)) for op in _all(plant)
        }
        self.stock: dict[str, deque[LotState]] = {code: deque() for code in plant.suppliers}
        self.po_count = 0
        self.finished_kind = {
            item.pk: item.kind == ItemKind.FINISHED for item in plant.items.values()
        }

    def actor(self, operator: Operator) -> Actor:
        return self.actors[operator.pk]

    def tick(self) -> datetime:
        self.now += timedelta(seconds=round(self.gap * (0.5 + self.rng.random())))
        return self.now

    def record(self, kind: str, lot: LotState, quantity: Decimal, who: Operator,
               **options: Any) -> None:  # fmt: skip
        """Record one event a moment after the previous one (recorded a second or two later)."""
        at = lot.created_at if KINDS[kind].origin else self.tick()
        # Written a second or three after the scan, in chain order, as the ledger writes.
        recorded = max(at + timedelta(seconds=1 + self.rng.randrange(3)), self.recorded)
        self.recorded = recorded
        if options.get("reason"):
            options["reason"] = said(options["reason"])
        if options.get("data"):
            options["data"] = {name: said(value) for name, value in options["data"].items()}
        self.ledger.record(kind, lot, quantity, at, recorded, self.actor(who), **options)

    def produce(self, item: Item, quantity: Decimal, who: Operator, *, step: Step,
                station: tuple[int, int | None], location_id: int, line: str, shift: str,
                order: str) -> LotState:  # fmt: skip
        """Record a step's output lot, numbered on the day it is made (ledger.services)."""
        self.tick()
        day = self.local_day()
        code = self.numbering.code(item, day, line=line, shift=shift, order=order)
        lot = self.new_lot(item, code, work_order_id=step.work_order_id, produced_on=day)
        self.record(K.PRODUCE, lot, quantity, who, via=Via.SCAN, step=step, station=station,
                    location_id=location_id)  # fmt: skip
        return lot

    def status_event(self, kind: str, lot: LotState, who: Operator, *, reason: str = "",
                     data: dict[str, str] | None = None, via: str = Via.MANUAL) -> None:  # fmt: skip
        """Hold, release or inspect: the quantity is what the lot has on hand (ledger.services)."""
        self.record(kind, lot, lot.quantity_on_hand, who, via=via, reason=reason, data=data)

    def new_lot(self, item: Item, code: str, **values: Any) -> LotState:
        shelf = item.shelf_life_days or 0
        start = values.get("produced_on") or values.get("received_on")
        return self.ledger.new_lot(
            code=code, item_id=item.pk, gtin=item.gtin, unit=item.unit,
            expires_on=start + timedelta(days=shelf) if shelf and start else None,
            waits_for_release=self.finished_kind[item.pk], created_at=self.now, location_id=None,
            **values,
        )  # fmt: skip

    def local_day(self) -> date:
        return self.now.astimezone(self.tz).date()

    # -- raw material -------------------------------------------------------------------------

    def receive(self, item_code: str, quantity: Decimal, *, fail: bool = False) -> LotState:
        """Buy, receive, inspect and release (or hold) one supplier lot; return it."""
        plant, rng = self.plant, self.rng
        item = plant.items[item_code]
        supplier = rng.choice(plant.suppliers[item_code])
        day = self.local_day()
        self.po_count += 1
        order = self.ledger.add_row(
            PurchaseOrder, site_id=plant.site.pk, number=f"PO{day:%y%m%d}{self.po_count % 1000:03d}",
            status="closed", ordered_on=day - timedelta(days=rng.randint(2, 10)),
            supplier_id=supplier.pk,
        )  # fmt: skip
        self.ledger.add_row(PurchaseOrderLine, order_id=order, item_id=item.pk, quantity=quantity)
        self.tick()
        day = self.local_day()
        lot = self.new_lot(
            item, self.numbering.code(item, day), supplier_id=supplier.pk,
            supplier_lot=self._supplier_lot(supplier, day), purchase_order_id=order,
            received_on=day,
        )  # fmt: skip
        store = plant.locations[_store(item_code)]
        clerk = rng.choice(plant.warehouse)
        self.record(K.RECEIVE, lot, quantity, clerk, via=Via.SCAN, location_id=store.pk,
                    purchase_order_id=order)  # fmt: skip
        inspector = rng.choice(plant.quality)
        _name, _name_zh, checks = PLANS[item_code]
        check_code, check_name, check_zh, *_ = checks[0]
        self.inspect(lot, item_code, inspector, failing=check_code if fail else None)
        if fail:
            check = said(f"{check_name} / {check_zh}")
            self.status_event(
                K.HOLD, lot, inspector, reason=said(RAW_HOLD_REASON) % {"check": check}
            )
        else:
            self.status_event(K.RELEASE, lot, inspector, reason=RELEASE_REASON)
            self.stock[item_code].append(lot)
        return lot

    def inspect(
        self, lot: LotState, item_code: str, who: Operator, *, failing: str | None = None
    ) -> None:
        """Inspect `lot` against its item's plan: every characteristic is found good but
        `failing`, which is found bad (quality's own event data, see demo.inspections)."""
        plan = self.plans[item_code]
        found = {
            c.code: finding(item_code, c.code, self.rng, bad=c.code == failing)
            for c in plan.characteristics.all()
        }
        self.status_event(K.INSPECT, lot, who, data=inspection_event_data(plan=plan, found=found))

    def _supplier_lot(self, supplier: Supplier, day: date) -> str:
        made = day - timedelta(days=self.rng.randint(0, 6))
        return supplier_lot(self.plant.supplier_styles[supplier.pk], made, self.rng)

    def available(self, item_code: str) -> Decimal:
        return sum((lot.quantity_on_hand for lot in self.stock[item_code]), Decimal(0))

    def consume(self, item_code: str, quantity: Decimal, step: Step, who: Operator,
                station: tuple[int, int | None]) -> None:  # fmt: skip
        """Consume `quantity` of a raw material into `step`, first in first out."""
        stock = self.stock[item_code]
        while quantity > 0:
            if not stock:
                self.receive(item_code, RAW_LOT_SIZE[item_code](self.rng))
                continue
            lot = stock[0]
            if lot.expires_on is not None and lot.expires_on < self.local_day():
                self.record(K.SCRAP, lot, lot.quantity_on_hand, self.rng.choice(self.plant.quality),
                            via=Via.MANUAL, reason=EXPIRED_REASON)  # fmt: skip
                stock.popleft()
                continue
            take = min(quantity, lot.quantity_on_hand)
            self.record(K.CONSUME, lot, take, who, via=Via.SCAN, step=step, station=station)
            quantity -= take
            if lot.status == LotStatus.CONSUMED:
                stock.popleft()

    def sequences_save(self) -> None:
        self.numbering.save()


def _store(item_code: str) -> str:
    return {"PORK": "CHILL", "CABBAGE": "CHILL", "FILM": "PKG", "CARTON": "PKG"}.get(
        item_code, "RAW"
    )


def _all(plant: Plant) -> list[Operator]:
    people = [op for crew in plant.crews.values() for op in crew]
    return people + plant.quality + plant.warehouse


def _team_shift(plant: Plant, operator: Operator) -> int | None:
    for code, team in plant.teams.items():
        if team.pk == operator.team_id:
            return plant.shifts[code].pk
    return None


# Reasons are what a quality manager types (said(): in the plant's language).
RELEASE_REASON = "Incoming inspection passed / 来料检验合格"
RAW_HOLD_REASON = "Incoming inspection failed: %(check)s / 来料检验不合格：%(check)s"  # noqa: RUF001
EXPIRED_REASON = "Expired before use / 超过保质期未使用"


# How much one supplier delivery holds. Seasoning, film and cartons come in big production
# lots that last the plant for days or weeks, so one of them reaches thousands of lots.
RAW_LOT_SIZE = {
    "FLOUR": lambda rng: Decimal(25 * rng.randint(80, 120)),
    "PORK": lambda rng: Decimal(100 * rng.randint(15, 25)),
    "CABBAGE": lambda rng: Decimal(100 * rng.randint(30, 50)),
    "SEASON": lambda rng: Decimal(25 * rng.randint(480, 720)),
    "FILM": lambda rng: Decimal(2000 * rng.randint(700, 1000)),
    "CARTON": lambda rng: Decimal(1000 * rng.randint(250, 350)),
}
