"""One work order on the shop floor: mix, fill, form, freeze, pack, and check what was made."""

import random
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal

from tracelot.demo.fastledger import LotState, Step
from tracelot.demo.plant import OPERATIONS, step_responsible
from tracelot.demo.world import World
from tracelot.ledger.models import EventKind, Via
from tracelot.orders.models import WorkOrder, WorkOrderStep
from tracelot.orders.routing import work_order_steps_from_routing
from tracelot.plants.models import Operator

K = EventKind
CASES_PER_PALLET = 48
KG_PER_CASE = 10
FILM_PER_CASE = {"DPC1K": Decimal("3.5"), "DPC500": Decimal("5.0")}


def kg(value: float) -> Decimal:
    """A weight to one decimal place, as the scales print it."""
    return Decimal(round(value * 10)) / 10


@dataclass
class Half:
    """Half a work order's run: one dough, filling, formed and frozen lot."""

    frozen: float
    dough: Decimal = Decimal(0)
    filling: Decimal = Decimal(0)
    flour: Decimal = Decimal(0)
    pork: Decimal = Decimal(0)
    cabbage: Decimal = Decimal(0)
    season: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        formed = self.frozen * 1.005  # freezing loses half a percent as ice and trim
        self.dough, self.filling = kg(formed * 0.40), kg(formed * 0.60)
        self.flour = kg(float(self.dough) * 0.62)  # the rest of the dough is water
        filling = float(self.filling)
        self.pork, self.cabbage, self.season = (
            kg(filling * 0.50),
            kg(filling * 0.47),
            kg(filling * 0.03),
        )


@dataclass
class Plan:
    item_code: str
    line: int  # 0 or 1
    shift: str
    number: str
    cases: int
    halves: list[Half] = field(default_factory=list)

    def needs(self) -> dict[str, Decimal]:
        """The raw materials this work order will draw."""
        total = {
            "FLOUR": sum((h.flour for h in self.halves), Decimal(0)),
            "PORK": sum((h.pork for h in self.halves), Decimal(0)),
            "CABBAGE": sum((h.cabbage for h in self.halves), Decimal(0)),
            "SEASON": sum((h.season for h in self.halves), Decimal(0)),
        }
        total["FILM"] = FILM_PER_CASE[self.item_code] * self.cases
        total["CARTON"] = Decimal(self.cases)
        return total


def plan_work_order(rng: random.Random, *, item_code: str, line: int, shift: str,
                    number: str) -> Plan:  # fmt: skip
    """Plan 10-14 pallets of one product, made in two halves."""
    cases = rng.randint(10, 14) * CASES_PER_PALLET - rng.randint(0, 30)
    frozen = cases * KG_PER_CASE * 1.002
    share = rng.uniform(0.47, 0.53)
    plan = Plan(item_code=item_code, line=line, shift=shift, number=number, cases=cases)
    plan.halves = [Half(frozen * share), Half(frozen * (1 - share))]
    return plan


@dataclass
class Outcome:
    """What a work order left for the warehouse and for quality."""

    released: list[LotState] = field(default_factory=list)
    held: list[LotState] = field(default_factory=list)
    lots: int = 0


class WorkOrderRun:
    """Run one planned work order through its five steps and QC."""

    def __init__(self, world: World, plan: Plan) -> None:
        self.world, self.plan = world, plan
        plant = world.plant
        self.line = plant.lines[plan.line]
        self.shift = plant.shifts[plan.shift]
        self.crew = plant.crews[plan.shift]
        self.wip = plant.locations[f"WIP-{self.line.code}"].pk
        self.item = plant.items[plan.item_code]
        day = world.local_day()
        self.order_id = world.ledger.add_row(
            WorkOrder, site_id=plant.site.pk, number=plan.number, status="closed",
            ordered_on=day, item_id=self.item.pk, line_id=self.line.pk, shift_id=self.shift.pk,
            planned_quantity=Decimal(plan.cases),
        )  # fmt: skip
        self.steps: dict[str, Step] = {}
        self.stations: dict[str, tuple[int, int | None]] = {}
        suffixes = {operation: suffix for operation, *_names, suffix in OPERATIONS}
        routing = plant.routing[plan.item_code]
        for number, planned in enumerate(work_order_steps_from_routing(routing=routing), start=1):
            # The routing names the early shift's people; on this shift the same station's
            # person of this shift's team answers for the step.
            responsible = step_responsible(self.crew, number)
            planned = replace(planned, responsible_id=responsible.pk)
            step_id = world.ledger.add_row(
                WorkOrderStep, work_order_id=self.order_id, **planned.fields()
            )
            self.steps[planned.operation] = Step(
                step_id, self.order_id, self.line.pk, self.shift.pk, responsible.pk
            )
            station = plant.stations[f"{self.line.code}-{suffixes[planned.operation]}"]
            self.stations[planned.operation] = (station.pk, self.line.pk)
        self.outcome = Outcome()

    def hands(self, operation: str) -> Operator:
        """Who scans at a station: its operator, now and then the team leader."""
        if self.world.rng.random() < 0.1:
            return self.crew[0]
        return self.crew[[op for op, *_ in OPERATIONS].index(operation) + 1]

    def consume(self, operation: str, lot: LotState, who: Operator) -> None:
        self.world.record(K.CONSUME, lot, lot.quantity_on_hand, who, via=Via.SCAN,
                          step=self.steps[operation], station=self.stations[operation])  # fmt: skip

    def produce(self, operation: str, item_code: str, quantity: Decimal, who: Operator,
                location_id: int | None = None) -> LotState:  # fmt: skip
        self.outcome.lots += 1
        return self.world.produce(
            self.world.plant.items[item_code], quantity, who, step=self.steps[operation],
            station=self.stations[operation], location_id=location_id or self.wip,
            line=self.line.code, shift=self.shift.code, order=self.plan.number,
        )  # fmt: skip

    def run(self, *, rework: list[LotState], refreeze: bool, fail: bool) -> Outcome:
        """Make the product; `rework` lots are repacked, `refreeze`/`fail` force a QC failure."""
        frozen = [self.make_half(half, refreeze=refreeze and n == 0)
                  for n, half in enumerate(self.plan.halves)]  # fmt: skip
        pallets = self.pack(frozen, rework)
        self.check(pallets, fail=fail)
        self.world.ledger.step_close(step.id for step in self.steps.values())
        return self.outcome

    def make_half(self, half: Half, *, refreeze: bool) -> LotState:
        world = self.world
        who = self.hands("mixing")
        world.consume("FLOUR", half.flour, self.steps["mixing"], who, self.stations["mixing"])
        dough = self.produce("mixing", "DOUGH", half.dough, who)
        who = self.hands("filling")
        for code, quantity in (("PORK", half.pork), ("CABBAGE", half.cabbage),
                               ("SEASON", half.season)):  # fmt: skip
            world.consume(code, quantity, self.steps["filling"], who, self.stations["filling"])
        filling = self.produce("filling", "FILLING", half.filling, who)
        who = self.hands("forming")
        self.consume("forming", dough, who)
        self.consume("forming", filling, who)
        formed = self.produce("forming", "FORMED", half.dough + half.filling, who)
        who = self.hands("freezing")
        weight = formed.quantity_on_hand
        self.consume("freezing", formed, who)
        frozen = self.produce("freezing", "FROZEN", kg(float(weight) / 1.005), who)
        return self.core_temperature(frozen, who, fail=refreeze or world.rng.random() < 0.004)

    def core_temperature(self, frozen: LotState, who: Operator, *, fail: bool) -> LotState:
        """Check the tunnel's output; a warm lot goes back through the same freezing step."""
        world = self.world
        inspector = world.rng.choice(world.plant.quality)
        world.inspect(frozen, "FROZEN", inspector, failing="CORE-T" if fail else None)
        if not fail:
            return frozen
        world.status_event(K.HOLD, frozen, inspector, reason=REFREEZE_HOLD)
        world.status_event(K.RELEASE, frozen, inspector, reason=REFREEZE_RELEASE)
        weight = frozen.quantity_on_hand
        self.consume("freezing", frozen, who)
        again = self.produce("freezing", "FROZEN", kg(float(weight) * 0.998), who)
        return self.core_temperature(again, who, fail=False)

    def pack(self, frozen: list[LotState], rework: list[LotState]) -> list[LotState]:
        world, code = self.world, self.plan.item_code
        who = self.hands("packing")
        total = sum((lot.quantity_on_hand for lot in frozen), Decimal(0))
        cases = int((total * Decimal("0.998") / KG_PER_CASE).to_integral_value(ROUND_FLOOR))
        for lot in frozen:
            self.consume("packing", lot, who)
        step, station = self.steps["packing"], self.stations["packing"]
        world.consume("FILM", FILM_PER_CASE[code] * cases, step, who, station)
        world.consume("CARTON", Decimal(cases), step, who, station)
        for lot in rework:  # repacked into new cartons with the rest of the run
            cases += int(lot.quantity_on_hand)
            self.consume("packing", lot, who)
        store = world.plant.locations["FRZ"].pk
        pallets = []
        while cases > 0:
            size = min(cases, CASES_PER_PALLET)
            pallets.append(self.produce("packing", code, Decimal(size), who, store))
            cases -= size
        return pallets

    def check(self, pallets: list[LotState], *, fail: bool) -> None:
        """Release each pallet on a passed check, or hold it for the quality manager."""
        world = self.world
        inspector = world.rng.choice(world.plant.quality)
        for n, pallet in enumerate(pallets):
            check, reason = FINISHED_CHECKS[(self.order_id + n) % len(FINISHED_CHECKS)]
            failed = (fail and n == 0) or world.rng.random() < 0.02
            world.inspect(pallet, self.plan.item_code, inspector, failing=check if failed else None)
            if failed:
                world.status_event(K.HOLD, pallet, inspector, reason=reason)
                self.outcome.held.append(pallet)
            else:
                world.status_event(K.RELEASE, pallet, inspector, reason=FINISHED_RELEASE)
                self.outcome.released.append(pallet)


REFREEZE_HOLD = "Core temperature above -18 °C after the tunnel / 出隧道中心温度高于 -18 °C"
REFREEZE_RELEASE = "Released to re-freeze in the same step / 放行回速冻工序复冻"
FINISHED_RELEASE = "Finished goods inspection passed / 成品检验合格"


# The characteristic of the finished goods inspection that fails, in turn, and the hold reason.
FINISHED_CHECKS = [
    ("NET", "Net weight below the declared weight / 净含量低于标示值"),
    ("METAL", "Metal detector reject / 金属检测剔除"),
    ("SEAL", "Bag seals leaking / 封口漏气"),
    ("CORE-T", "Core temperature above -18 °C / 中心温度高于 -18 °C"),
    ("TPC", "Total plate count over the limit / 菌落总数超标"),
]
