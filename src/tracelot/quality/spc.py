"""Control charts for numeric inspection results: an individuals and moving-range (I-MR)
chart per characteristic, item and line, its limits from a baseline period, the Western
Electric rules on every point, and the process capability (Cp, Cpk).

Each inspection records one value per characteristic, so the chart is of individuals: the
process sigma is estimated from the mean moving range of two (MR̄ / d2, d2 = 1.128), not from
the standard deviation, which a drifting process inflates.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from itertools import pairwise
from statistics import fmean

from django.utils.translation import gettext_lazy as _

D2 = 1.128  # d2 of a subgroup of two: E[range] / sigma
D4 = 3.267  # the moving-range chart's upper limit factor for ranges of two


class Rule(IntEnum):
    """The Western Electric rules, numbered as the handbook numbers them."""

    BEYOND_3_SIGMA = 1
    TWO_OF_THREE_BEYOND_2_SIGMA = 2
    FOUR_OF_FIVE_BEYOND_1_SIGMA = 3
    EIGHT_ON_ONE_SIDE = 4

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self])


RULE_LABELS = {
    Rule.BEYOND_3_SIGMA: _("one point beyond 3 sigma"),
    Rule.TWO_OF_THREE_BEYOND_2_SIGMA: _("2 of 3 points beyond 2 sigma on one side"),
    Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA: _("4 of 5 points beyond 1 sigma on one side"),
    Rule.EIGHT_ON_ONE_SIDE: _("8 points in a row on one side of the center line"),
}


@dataclass(frozen=True)
class Limits:
    """An individuals chart's center line and sigma, with its moving-range chart's."""

    center: float
    sigma: float
    mr_bar: float
    baseline: int  # how many points they were computed from

    @property
    def ucl(self) -> float:
        return self.center + 3 * self.sigma

    @property
    def lcl(self) -> float:
        return self.center - 3 * self.sigma

    @property
    def mr_ucl(self) -> float:
        return D4 * self.mr_bar

    def z(self, value: float) -> float:
        """How many sigmas `value` lies from the center line (signed)."""
        return (value - self.center) / self.sigma


MIN_BASELINE = 5  # fewer points give no usable limits


def individuals_limits(baseline: Sequence[float]) -> Limits | None:
    """Limits from the baseline points; None with too few points or no variation at all."""
    if len(baseline) < MIN_BASELINE:
        return None
    mr_bar = fmean(abs(b - a) for a, b in pairwise(baseline))
    if mr_bar == 0:
        return None
    return Limits(center=fmean(baseline), sigma=mr_bar / D2, mr_bar=mr_bar, baseline=len(baseline))


@dataclass(frozen=True)
class Violation:
    rule: Rule
    index: int  # the point that completes the pattern
    side: int  # +1 above the center line, -1 below


def _beyond(
    z: Sequence[float], end: int, window: int, needed: int, sigmas: float, side: int
) -> bool:
    """Of the `window` points ending at `end` (fewer at the start of the chart), at least
    `needed` lie beyond `sigmas` on `side`, `end` among them."""
    if z[end] * side <= sigmas:
        return False
    return (
        sum(1 for value in z[max(0, end + 1 - window) : end + 1] if value * side > sigmas) >= needed
    )


def western_electric(values: Sequence[float], limits: Limits) -> list[Violation]:
    """Every point at which a rule is broken, in order; a point may break several rules."""
    z = [limits.z(value) for value in values]
    found = []
    for end, value in enumerate(z):
        if abs(value) > 3:
            found.append(Violation(Rule.BEYOND_3_SIGMA, end, 1 if value > 0 else -1))
        for side in (1, -1):
            if _beyond(z, end, 3, 2, 2, side):
                found.append(Violation(Rule.TWO_OF_THREE_BEYOND_2_SIGMA, end, side))
            if _beyond(z, end, 5, 4, 1, side):
                found.append(Violation(Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA, end, side))
            if _beyond(z, end, 8, 8, 0, side):
                found.append(Violation(Rule.EIGHT_ON_ONE_SIDE, end, side))
    return found


@dataclass(frozen=True)
class Capability:
    cp: float | None  # needs both specification limits
    cpk: float | None


def capability(limits: Limits, lower: float | None, upper: float | None) -> Capability:
    """Cp and Cpk against the specification limits (one-sided Cpk with one limit)."""
    spread = 3 * limits.sigma
    cp = (upper - lower) / (2 * spread) if lower is not None and upper is not None else None
    sides = [
        distance / spread
        for distance in (
            upper - limits.center if upper is not None else None,
            limits.center - lower if lower is not None else None,
        )
        if distance is not None
    ]
    return Capability(cp=cp, cpk=min(sides) if sides else None)
