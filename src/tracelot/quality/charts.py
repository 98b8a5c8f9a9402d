"""The control chart of one characteristic (of one item, on one line when the inspection names
one): its points in time order, limits from the first BASELINE results, the Western Electric
rules on the points after them, and Cp/Cpk (quality.spc)."""

from dataclasses import dataclass, field

from tracelot.plants.models import Line
from tracelot.quality.models import Characteristic, InspectionValue
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


def control_chart(characteristic: Characteristic, *, line: Line | None = None) -> Chart:
    """The chart of `characteristic`'s measured values, oldest first (on `line` if given)."""
    values = InspectionValue.objects.filter(characteristic=characteristic, value__isnull=False)
    if line is not None:
        values = values.filter(inspection__event__line=line)
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
