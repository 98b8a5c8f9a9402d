"""The integrity check: duplicate, orphan and unlinked lots, negative stock, mass balance."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Lower, Trim
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tracelot.core import clock
from tracelot.edges.models import Edge
from tracelot.items.models import BomLine
from tracelot.ledger.kinds import OnHand, Role, kinds_where, standing
from tracelot.ledger.models import Event, EventKind, IntegrityRun
from tracelot.ledger.projection import projection_verify
from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrderStep
from tracelot.plants.models import Site

ORIGIN_KINDS = kinds_where(lambda spec: spec.origin)
# Kinds that make the other lot of their event (split): its origin too.
ORIGIN_OF_OTHER_KINDS = kinds_where(lambda spec: spec.other_lot == OnHand.CREATE)
OUTPUT_KINDS = kinds_where(lambda spec: spec.role == Role.OUTPUT)
STEP_KINDS = kinds_where(lambda spec: spec.role in (Role.INPUT, Role.OUTPUT))

# A work order's consumption may differ from its bill of materials by this much before
# the check reports it (scale readings, moisture, trim); beyond it, material is missing.
BALANCE_TOLERANCE = Decimal("0.05")
EXAMPLES = 10


@dataclass
class Finding:
    check: str
    title: str
    count: int = 0
    examples: list[str] = field(default_factory=list)


# Each check's title, in the reader's language wherever it is shown (a stored run too).
TITLES = {
    "duplicate_lots": gettext_lazy("Duplicate lot codes or GS1 batches"),
    "orphan_lots": gettext_lazy("Lots with no origin event"),
    "unlinked_lots": gettext_lazy("Produced lots with no input lots"),
    "negative_stock": gettext_lazy("Lots with negative on hand"),
    "mass_balance": gettext_lazy("Work-order steps out of mass balance"),
    "projection": gettext_lazy("Lots that differ from what their events make them"),
}
# The checks whose examples are lot codes (the others name work-order steps).
OF_LOTS = {"duplicate_lots", "orphan_lots", "unlinked_lots", "negative_stock", "projection"}


def _finding(check: str, examples: list[str], count: int | None = None) -> Finding:
    title = str(TITLES[check])
    return Finding(check, title, len(examples) if count is None else count, examples[:EXAMPLES])


def duplicate_lot_codes() -> Finding:
    """Codes that differ only in case or surrounding spaces: typed by hand, twice."""
    rows = (
        Lot.objects.annotate(normal=Lower(Trim("code")))
        .values("normal")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("normal", flat=True)
    )
    gs1 = (
        Lot.objects.exclude(gtin="")
        .values("gtin", "batch")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("gtin", "batch")
    )
    examples = list(rows) + [f"(01){g}(10){b}" for g, b in gs1]
    return _finding("duplicate_lots", examples)


def lots_without_origin() -> Finding:
    """Lots no receive, produce or split event created: they came from nowhere."""
    origin = Event.objects.filter(
        Q(lot=OuterRef("pk"), kind__in=ORIGIN_KINDS)
        | Q(other_lot=OuterRef("pk"), kind__in=ORIGIN_OF_OTHER_KINDS)
    )
    lots = Lot.objects.filter(~Exists(origin)).order_by("code").values_list("code", flat=True)
    return _finding("orphan_lots", list(lots[:EXAMPLES]), lots.count())


def produced_lots_without_inputs() -> Finding:
    """Produced lots with no input: the genealogy chain is broken at them."""
    produced = Event.objects.filter(lot=OuterRef("pk"), kind__in=OUTPUT_KINDS)
    inputs = Edge.objects.filter(target=OuterRef("pk"))
    lots = (
        Lot.objects.filter(Exists(produced), ~Exists(inputs))
        .order_by("code")
        .values_list("code", flat=True)
    )
    return _finding(
        "unlinked_lots",
        list(lots[:EXAMPLES]),
        lots.count(),
    )


def negative_on_hand() -> Finding:
    lots = (
        Lot.objects.filter(quantity_on_hand__lt=0).order_by("code").values_list("code", flat=True)
    )
    return _finding("negative_stock", list(lots[:EXAMPLES]), lots.count())


@dataclass(frozen=True)
class StepGap:
    """A work-order step's consumption of one component against its bill of materials."""

    step_id: int
    step: str  # "WO-0001/2"
    component_id: int
    expected: Decimal
    actual: Decimal

    @property
    def off(self) -> Decimal:
        """How far off, as a fraction of what the bill of materials asks (of 1 at least)."""
        return abs(self.actual - self.expected) / max(self.expected, Decimal(1))


def step_gaps(*, step_ids: Iterable[int] | None = None) -> list[StepGap]:
    """Each step's largest gap between a component consumed and its bill of materials for
    the quantity produced (every step with events, or only `step_ids`); one per step."""
    produced: dict[int, Decimal] = defaultdict(Decimal)
    consumed: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    events = Event.objects.filter(
        Q(kind__in=STEP_KINDS) | Q(kind=EventKind.REVERSAL, reverses__kind__in=STEP_KINDS)
    )
    if step_ids is not None:
        events = events.filter(step_id__in=list(step_ids))
    rows = (
        events.values("step_id", "kind", "reverses__kind", "lot__item_id")
        .annotate(total=Sum("quantity"))
        .values_list("step_id", "kind", "reverses__kind", "lot__item_id", "total")
    )
    for step_id, kind, reversed_kind, item_id, total in rows:
        spec, quantity = standing(kind, reversed_kind, Decimal(total))
        if spec.role == Role.OUTPUT:
            produced[step_id] += quantity
        else:
            consumed[step_id][item_id] += quantity
    bom: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for parent, component, quantity in BomLine.objects.values_list(
        "parent_id", "component_id", "quantity"
    ):
        bom[parent][component] = quantity
    steps = WorkOrderStep.objects.filter(pk__in=set(produced) | set(consumed)).values_list(
        "pk", "output_item_id", "work_order__number", "sequence"
    )
    gaps = []
    for step_id, output_item, number, sequence in steps.order_by("pk").iterator(chunk_size=5000):
        # Reworked output fed back into its own step (a BOM line of the item on itself) is
        # output made again, not new output: it needs no fresh components.
        reworked = consumed[step_id].get(output_item, Decimal(0))
        made = Decimal(produced.get(step_id) or 0) - reworked
        found = [
            StepGap(step_id, f"{number}/{sequence}", component, per_unit * made,
                    consumed[step_id].get(component, Decimal(0)))
            for component, per_unit in bom[output_item].items()
            if component != output_item
        ]  # fmt: skip
        if found:
            gaps.append(max(found, key=lambda gap: gap.off))
    return gaps


def unbalanced_work_orders() -> Finding:
    """Steps whose consumption of a component is off its BOM for the quantity produced."""
    return _finding(
        "mass_balance", [gap.step for gap in step_gaps() if gap.off > BALANCE_TOLERANCE]
    )


def lots_differing_from_the_ledger() -> Finding:
    """Lots whose on hand, status or location is not what their events make them: the
    lots table was changed outside the ledger (ledger.projection)."""
    examples: list[str] = []
    count = 0
    for site in Site.objects.order_by("code"):
        report = projection_verify(site=site)
        count += report.differing
        examples.extend(
            f"{d.code} {d.field} {d.stored} ≠ {d.from_ledger}" for d in report.differences
        )
    return _finding("projection", examples, count)


CHECKS = (
    duplicate_lot_codes,
    lots_without_origin,
    produced_lots_without_inputs,
    negative_on_hand,
    unbalanced_work_orders,
    lots_differing_from_the_ledger,
)


def integrity_findings() -> list[Finding]:
    """Run every integrity check; a finding with count 0 passed."""
    return [check() for check in CHECKS]


# Sent after a run is stored, with the run before it (or None): alerts tell what is new.
integrity_checked = Signal()


def integrity_run(*, by: str) -> tuple[IntegrityRun, list[Finding]]:
    """Run every check, store the run with its findings, and tell who listens."""
    findings = integrity_findings()
    previous = IntegrityRun.objects.order_by("-ran_at", "-pk").first()
    run = IntegrityRun.objects.create(
        ran_at=clock.now(),
        by=by[:40],
        findings={
            f.check: {"title": str(f.title), "count": f.count, "examples": list(f.examples)}
            for f in findings
        },
    )
    integrity_checked.send(sender=IntegrityRun, run=run, previous=previous)
    return run, findings


def integrity_new_findings(
    run: IntegrityRun, previous: IntegrityRun | None
) -> dict[str, list[str]]:
    """Per check, the examples of `run` the run before did not have (all, with none before);
    a count that grew with the same examples shown counts as new too."""
    new: dict[str, list[str]] = {}
    for check, finding in run.findings.items():
        if not finding.get("count"):
            continue
        before = (previous.findings if previous else {}).get(check, {})
        fresh = [e for e in finding.get("examples", []) if e not in before.get("examples", [])]
        if fresh or finding["count"] > before.get("count", 0):
            new[check] = fresh or finding.get("examples", [])
    return new


def integrity_trend(*, days: int = 30) -> list[IntegrityRun]:
    """The last run of each of the last `days` days that had one, oldest first."""
    since = clock.now() - timedelta(days=days)
    last_of_day: dict[date, IntegrityRun] = {}
    for run in IntegrityRun.objects.filter(ran_at__gte=since).order_by("ran_at", "pk"):
        last_of_day[timezone.localtime(run.ran_at).date()] = run
    return list(last_of_day.values())
