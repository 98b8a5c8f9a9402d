"""The integrity check: duplicate, orphan and unlinked lots, negative stock, mass balance."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext

from tracelot.edges.models import Edge
from tracelot.items.models import BomLine
from tracelot.ledger.kinds import OnHand, Role, kinds_where, standing
from tracelot.ledger.models import Event, EventKind
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


def _finding(check: str, title: str, examples: list[str], count: int | None = None) -> Finding:
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
    return _finding("duplicate_lots", gettext("Duplicate lot codes or GS1 batches"), examples)


def lots_without_origin() -> Finding:
    """Lots no receive, produce or split event created: they came from nowhere."""
    origin = Event.objects.filter(
        Q(lot=OuterRef("pk"), kind__in=ORIGIN_KINDS)
        | Q(other_lot=OuterRef("pk"), kind__in=ORIGIN_OF_OTHER_KINDS)
    )
    lots = Lot.objects.filter(~Exists(origin)).order_by("code").values_list("code", flat=True)
    return _finding(
        "orphan_lots", gettext("Lots with no origin event"), list(lots[:EXAMPLES]), lots.count()
    )


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
        gettext("Produced lots with no input lots"),
        list(lots[:EXAMPLES]),
        lots.count(),
    )


def negative_on_hand() -> Finding:
    lots = (
        Lot.objects.filter(quantity_on_hand__lt=0).order_by("code").values_list("code", flat=True)
    )
    return _finding(
        "negative_stock", gettext("Lots with negative on hand"), list(lots[:EXAMPLES]), lots.count()
    )


def unbalanced_work_orders() -> Finding:
    """Steps whose consumption of a component is off its BOM for the quantity produced."""
    produced: dict[int, Decimal] = defaultdict(Decimal)
    consumed: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = (
        Event.objects.filter(
            Q(kind__in=STEP_KINDS) | Q(kind=EventKind.REVERSAL, reverses__kind__in=STEP_KINDS)
        )
        .values("step_id", "kind", "reverses__kind", "lot__item_id")
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
    examples = []
    for step_id, output_item, number, sequence in steps.iterator(chunk_size=5000):
        # Reworked output fed back into its own step (a BOM line of the item on itself) is
        # output made again, not new output: it needs no fresh components.
        reworked = consumed[step_id].get(output_item, Decimal(0))
        made = Decimal(produced.get(step_id) or 0) - reworked
        for component, per_unit in bom[output_item].items():
            if component == output_item:
                continue
            expected = per_unit * made
            actual = consumed[step_id].get(component, Decimal(0))
            if abs(actual - expected) > BALANCE_TOLERANCE * max(expected, Decimal(1)):
                examples.append(f"{number}/{sequence}")
                break
    return _finding("mass_balance", gettext("Work-order steps out of mass balance"), examples)


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
    title = gettext("Lots that differ from what their events make them")
    return _finding("projection", title, examples, count)


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
