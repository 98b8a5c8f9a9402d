"""The control chart of one characteristic (of one item, at one site, on one line or of the
inspections that name none): its points in time order, limits from the first BASELINE results,
the Western Electric rules on the points after them, and Cp/Cpk (quality.spc)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from tracelot.items.models import Item
from tracelot.plants.models import Line
from tracelot.quality.models import Characteristic, CharacteristicKind, InspectionValue
from tracelot.quality.spc import (
    Capability,
    Limits,
    Violation,
    capability,
    individuals_limits,
    western_electric,
)

BASELINE = 20  # results that set the limits; the chart judges those after them
POINTS = 500  # the newest points a chart reads


@dataclass
class Point:
    value: float
    lot: str
    event_id: int | None


@dataclass
class Chart:
    characteristic: Characteristic
    points: list[Point]
    limits: Limits | None = None
    capability: Capability | None = None
    violations: list[Violation] = field(default_factory=list)  # indexes into points

    def index_of(self, event_id: int) -> int | None:
        return next((i for i, p in enumerate(self.points) if p.event_id == event_id), None)

    def broken_at(self, index: int) -> list[Violation]:
        """The rules the point at `index` completes (an alert is raised for these)."""
        return [v for v in self.violations if v.index == index]


def control_chart(
    characteristic: Characteristic, *, line: Line | None = None, site_id: int | None = None
) -> Chart:
    """The chart of `characteristic`'s measured values, oldest first: those inspected on
    `line`, or without a line when it is None; at `site_id` (None: every site)."""
    values = InspectionValue.objects.filter(
        characteristic=characteristic, value__isnull=False, inspection__event__line=line
    )
    if site_id is not None:
        values = values.filter(inspection__site_id=site_id)
    rows = list(
        values.order_by("-inspection__inspected_at", "-pk").values_list(
            "value", "inspection__lot__code", "inspection__event_id"
        )[:POINTS]
    )
    points = [
        Point(float(value), code, event)
        for value, code, event in reversed(rows)
        if value is not None
    ]
    chart = Chart(characteristic, points)
    chart.limits = individuals_limits([p.value for p in points[:BASELINE]])
    if chart.limits is None or len(points) <= BASELINE:
        return chart
    lower, upper = characteristic.lower_limit, characteristic.upper_limit
    chart.capability = capability(
        chart.limits,
        float(lower) if lower is not None else None,
        float(upper) if upper is not None else None,
    )
    judged = western_electric([p.value for p in points[BASELINE:]], chart.limits)
    chart.violations = [Violation(v.rule, v.index + BASELINE, v.side) for v in judged]
    return chart


@dataclass(frozen=True)
class ChartKey:
    """Which chart: a measured characteristic at a site, on a line or on none."""

    characteristic_id: int
    site_id: int
    line_id: int | None


def item_chart_keys(item: Item, *, site_ids: Iterable[int] | None) -> list[ChartKey]:
    """The charts an item has: each measured characteristic of its plans at each site and
    line it was measured on (of `site_ids`; None: every site)."""
    values = InspectionValue.objects.filter(
        characteristic__plan__item=item,
        characteristic__kind=CharacteristicKind.MEASURED,
        value__isnull=False,
    )
    if site_ids is not None:
        values = values.filter(inspection__site_id__in=list(site_ids))
    rows = values.values_list(
        "characteristic_id", "inspection__site_id", "inspection__event__line_id"
    ).distinct()
    return sorted({ChartKey(*row) for row in rows}, key=lambda k: (k.characteristic_id,
                  k.site_id, k.line_id or 0))  # fmt: skip


def items_charted() -> QuerySet[Item]:
    """The items with a measured characteristic in an inspection plan (items are shared by
    every site; their charts are per site)."""
    return (
        Item.objects.filter(inspection_plans__characteristics__kind=CharacteristicKind.MEASURED)
        .distinct()
        .order_by("code")
    )


@dataclass
class Drawing:
    """A chart as an SVG draws it: y of each line, the polyline, and the marked points."""

    width: int
    height: int
    center: float
    ucl: float
    lcl: float
    line: str  # "x,y x,y …"
    marks: list[tuple[float, float, str]]  # (x, y, "broken" | "this" | "both")


def chart_drawing(
    chart: Chart, *, this_events: set[int], width: int = 640, height: int = 160
) -> Drawing | None:
    """The newest DRAWN points of `chart` in a width by height box; None without limits."""
    if chart.limits is None or not chart.points:
        return None
    first = max(0, len(chart.points) - DRAWN)
    shown = chart.points[first:]
    values = [p.value for p in shown] + [chart.limits.ucl, chart.limits.lcl]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    pad = 8

    def y(value: float) -> float:
        return round(pad + (high - value) / span * (height - 2 * pad), 1)

    def x(index: int) -> float:
        return round(pad + index * (width - 2 * pad) / max(len(shown) - 1, 1), 1)

    broken = {v.index for v in chart.violations}
    marks = []
    for i, point in enumerate(shown):
        kind = (
            ("both" if point.event_id in this_events else "broken")
            if first + i in broken
            else ("this" if point.event_id in this_events else "")
        )
        if kind:
            marks.append((x(i), y(point.value), kind))
    return Drawing(
        width=width,
        height=height,
        center=y(chart.limits.center),
        ucl=y(chart.limits.ucl),
        lcl=y(chart.limits.lcl),
        line=" ".join(f"{x(i)},{y(p.value)}" for i, p in enumerate(shown)),
        marks=marks,
    )


DRAWN = 60  # points a drawing shows
