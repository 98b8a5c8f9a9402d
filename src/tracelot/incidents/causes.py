"""Likely causes: what the failed lots share that the passed lots do not.

Each lot is described by its factors: every lot that went into it at any depth (input
lots, with their supplier lots and suppliers) and, for it and each of those lots, where and
by whom it was made (line, station, shift, the shift on that line, operator, step, work
order). A factor is scored by how much more often it appears among failed lots than among
all lots (lift), and ranked by Fisher's exact test: the chance that it appears among at
least that many failed lots if failing had nothing to do with it. A contaminated material
lot, or a bad shift on one line, comes first with its counts.
"""

import math
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import name_in_language
from tracelot.core.sql import among, values_in
from tracelot.edges.models import Edge
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrder, WorkOrderStep
from tracelot.partners.models import Supplier
from tracelot.plants.models import Line, Operator, Shift, Station

# The kinds of candidate, in the order that breaks a tie: the most specific first, so a
# contaminated material lot comes before its supplier lot and supplier with equal counts.
KINDS = (
    "input_lot",
    "supplier_lot",
    "supplier",
    # A crew works one shift on one line: with the same counts, the shift on that line is
    # named rather than its responsible person, whom the plant cannot tell apart from it.
    "shift",
    "line",
    "operator",
    "station",
    "step",
    "work_order",
)
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}
KIND_LABELS = {
    "input_lot": _("input lot"),
    "supplier_lot": _("supplier lot"),
    "supplier": _("supplier"),
    "shift": _("shift"),
    "line": _("line"),
    "operator": _("operator"),
    "station": _("station"),
    "step": _("step"),
    "work_order": _("work order"),
}

Factor = tuple[str, str]  # (kind, key)


@dataclass(frozen=True)
class Candidate:
    kind: str
    key: str
    name: str
    failed_with: int
    passed_with: int
    score: float  # lift: its share among failed lots over its share among all lots
    p_value: float  # Fisher's exact test, one-sided: appearing this often among failed lots

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "name": self.name,
            "failed_with": self.failed_with,
            "passed_with": self.passed_with,
            "score": round(self.score, 4),
            "p_value": float(f"{self.p_value:.6g}"),
        }


@dataclass
class Causes:
    failed: int
    passed: int
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def margin(self) -> dict[str, float] | None:
        """How far the first candidate is ahead of the second: in score, and as how many
        times less likely its counts are by chance."""
        if len(self.candidates) < 2:
            return None
        first, second = self.candidates[0], self.candidates[1]
        return {
            "score": round(first.score - second.score, 4),
            "p_value_ratio": round(second.p_value / first.p_value, 4) if first.p_value else 0.0,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "failed": self.failed,
            "passed": self.passed,
            "margin": self.margin,
            "candidates": [candidate.as_json() for candidate in self.candidates],
        }


def likely_causes(
    *, failed_lot_ids: Collection[int], passed_lot_ids: Collection[int], limit: int = 50
) -> Causes:
    """The candidate causes of the failed lots against the passed ones, best first."""
    failed = set(failed_lot_ids)
    passed = set(passed_lot_ids) - failed
    if not failed:
        return Causes(failed=0, passed=len(passed))
    with_failed, with_passed = _counts(failed, passed)
    total = len(failed) + len(passed)
    candidates = []
    for factor, a in with_failed.items():
        b = with_passed.get(factor, 0)
        candidates.append(
            Candidate(
                kind=factor[0],
                key=factor[1],
                name="",
                failed_with=a,
                passed_with=b,
                score=(a / len(failed)) / ((a + b) / total),
                p_value=fisher_greater(a, b, len(failed), len(passed)),
            )
        )
    candidates.sort(key=lambda c: (c.p_value, -c.score, -c.failed_with, _KIND_ORDER[c.kind], c.key))
    best = candidates[:limit]
    names = _names((c.kind, c.key) for c in best)  # only the ones shown
    best = [replace(c, name=names.get((c.kind, c.key), c.key)) for c in best]
    return Causes(failed=len(failed), passed=len(passed), candidates=best)


def fisher_greater(a: int, b: int, failed: int, passed: int) -> float:
    """One-sided Fisher's exact test: the chance that a factor found in a + b of all lots is
    in at least `a` of the `failed` ones if lots failed at random (hypergeometric tail)."""
    total, with_factor = failed + passed, a + b
    last = min(with_factor, failed)
    if a > last:
        return 0.0
    # The first term from log-binomials, each next one from the last by the ratio of
    # consecutive hypergeometric terms, all in logs: a first term far in the tail would
    # underflow to a denormal float and take the precision of the whole sum with it.
    log_term = (
        _log_comb(with_factor, a)
        + _log_comb(total - with_factor, failed - a)
        - _log_comb(total, failed)
    )
    logs = [log_term]
    for x in range(a, last):
        log_term += math.log((with_factor - x) * (failed - x)) - math.log(
            (x + 1) * (total - with_factor - failed + x + 1)
        )
        logs.append(log_term)
    peak = max(logs)
    return min(math.exp(peak) * math.fsum(math.exp(v - peak) for v in logs), 1.0)


def _log_comb(n: int, k: int) -> float:
    if k < 0 or k > n:
        return -math.inf
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def failed_lot_ids_between(
    *, since: date, until: date, site_ids: Iterable[int] | None = None
) -> set[int]:
    """Lots with a failed inspection recorded between `since` and `until` (plant days)."""
    events = _failed_inspections().filter(occurred_at__gte=_day_start(since))
    events = events.filter(occurred_at__lt=_day_start(until + timedelta(days=1)))
    if site_ids is not None:
        events = events.filter(site_id__in=list(site_ids))
    return set(events.values_list("lot_id", flat=True))


def _failed_inspections() -> QuerySet[Event]:
    return Event.objects.filter(
        kind=EventKind.INSPECT, data__result="fail", reversed_by__isnull=True
    )


def _day_start(day: date) -> datetime:
    # A range on the column itself, not on its date, so the occurred-at index serves it.
    return timezone.make_aware(datetime.combine(day, time.min))


def passed_lot_ids_for(
    *, failed_lot_ids: Collection[int], since: date | None = None, until: date | None = None
) -> set[int]:
    """The lots to compare with: every lot of the failed lots' items made (or received) in
    the window, from the first failed lot's day to the last one's unless given, that is not
    among the failed lots and has no failed inspection."""
    failed = Lot.objects.filter(pk__in=values_in(list(failed_lot_ids)))
    rows = list(failed.values_list("item_id", "site_id", "produced_on", "received_on"))
    if not rows:
        return set()
    days: list[date] = [d for *_, made, received in rows if (d := made or received) is not None]
    first = since or (min(days) if days else None)
    last = until or (max(days) if days else None)
    lots = Lot.objects.filter(
        item_id__in={item for item, *_ in rows}, site_id__in={site for _i, site, *_ in rows}
    )
    if first is not None and last is not None:
        # Two indexed ranges rather than one OR, which the planners answer with a scan.
        made = lots.filter(produced_on__range=(first, last)).values_list("pk", flat=True)
        received = lots.filter(received_on__range=(first, last)).values_list("pk", flat=True)
        candidates = (set(made) | set(received)) - set(failed_lot_ids)
    else:
        candidates = set(lots.values_list("pk", flat=True)) - set(failed_lot_ids)
    failing = _failed_inspections().filter(lot_id__in=values_in(list(candidates)))
    return candidates - set(failing.values_list("lot_id", flat=True))


def _ancestors(lot_ids: Collection[int]) -> dict[int, frozenset[int]]:
    """Each lot → itself and every lot that went into it, at any depth.

    The links are read level by level, each level one indexed lookup of its lots' inputs
    (a recursive query was planned as a scan of every edge on PostgreSQL: 5.8 s at 1M lots);
    the closure is taken here with each shared ancestor's set made once (a month of lots
    shares most of its materials), not one row per lot and ancestor from the database."""
    edges = Edge._meta.db_table
    parents: dict[int, set[int]] = {}
    seen = set(lot_ids)
    level = list(seen)
    with connection.cursor() as cursor:
        while level:
            among_level, param = among(level)
            cursor.execute(
                f"SELECT e.target_id, e.source_id FROM {edges} e "  # noqa: S608 - model names
                f"WHERE e.target_id {among_level}",
                [param],
            )
            below = []
            for target, source in cursor.fetchall():
                if target == source:  # rework of a lot into itself adds nothing
                    continue
                parents.setdefault(target, set()).add(source)
                if source not in seen:
                    seen.add(source)
                    below.append(source)
            level = below
    closed: dict[int, frozenset[int]] = {}

    def closure(lot_id: int) -> frozenset[int]:
        # Iterative depth-first: genealogies can be deeper than Python's recursion limit.
        stack = [lot_id]
        while stack:
            top = stack[-1]
            if top in closed:
                stack.pop()
                continue
            pending = [p for p in parents.get(top, ()) if p not in closed and p not in stack]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            closed[top] = frozenset({top}).union(
                *(closed.get(p, frozenset()) for p in parents.get(top, ()))
            )
        return closed[lot_id]

    return {lot_id: closure(lot_id) for lot_id in lot_ids}


def _counts(failed: set[int], passed: set[int]) -> tuple[Counter[Factor], Counter[Factor]]:
    """How many failed and passed lots carry each factor (each lot counts once)."""
    reached = _ancestors(failed | passed)
    every_lot = set().union(*reached.values()) if reached else set()
    own = _own_factors(every_lot)
    # Factors as small ints while counting (set unions and Counter run in C); an input
    # lot is its negative lot id, named by its code only if a failed lot carries it.
    number: dict[Factor, int] = {}
    for factors in own.values():
        for factor in factors:
            number.setdefault(factor, len(number) + 1)
    own_numbers = {lot: frozenset(number[f] for f in factors) for lot, factors in own.items()}
    empty: frozenset[int] = frozenset()
    counted = []
    for lots in (failed, passed):
        counter: Counter[int] = Counter()
        for start in lots:
            ancestors = reached.get(start, frozenset({start}))
            found = set().union(*(own_numbers.get(a, empty) for a in ancestors))
            found.update(-a for a in ancestors if a != start)
            counter.update(found)
        counted.append(counter)
    factor_of = {n: f for f, n in number.items()}
    input_lots = [-n for n in counted[0] if n < 0]
    codes = dict(Lot.objects.filter(pk__in=values_in(input_lots)).values_list("pk", "code"))
    for n in input_lots:
        factor_of[-n] = ("input_lot", codes[n])
    with_failed = Counter({factor_of[n]: c for n, c in counted[0].items()})
    with_passed = Counter({factor_of[n]: c for n, c in counted[1].items() if n in factor_of})
    return with_failed, with_passed


def _own_factors(lot_ids: Collection[int]) -> dict[int, frozenset[Factor]]:
    """What each lot carries itself: its supplier and supplier lot, and where, when and by
    whom the step that made it ran (every event recorded at that step)."""
    ids = values_in(list(lot_ids))
    own: dict[int, set[Factor]] = {}
    suppliers = dict(Supplier.objects.values_list("pk", "code"))
    for lot_id, supplier_id, supplier_lot in Lot.objects.filter(
        pk__in=ids, supplier__isnull=False
    ).values_list("pk", "supplier_id", "supplier_lot"):
        found = own.setdefault(lot_id, set())
        found.add(("supplier", suppliers[supplier_id]))
        if supplier_lot:
            found.add(("supplier_lot", f"{suppliers[supplier_id]}:{supplier_lot}"))
    made_at: dict[int, set[int]] = {}
    for lot_id, step_id in Event.objects.filter(
        lot_id__in=ids, kind=EventKind.PRODUCE, step__isnull=False
    ).values_list("lot_id", "step_id"):
        made_at.setdefault(step_id, set()).add(lot_id)
    step_factors = _step_factors(made_at)
    for step_id, lots in made_at.items():
        for lot_id in lots:
            own.setdefault(lot_id, set()).update(step_factors.get(step_id, ()))
    return {lot_id: frozenset(found) for lot_id, found in own.items()}


def _step_factors(made_at: dict[int, set[int]]) -> dict[int, set[Factor]]:
    steps = WorkOrderStep.objects.filter(pk__in=values_in(list(made_at))).values_list(
        "pk", "operation", "work_order__number", "work_order__line__code", "responsible__code"
    )
    found: dict[int, set[Factor]] = {}
    for step_id, operation, number, line, responsible in steps:
        found[step_id] = {
            ("step", operation),
            ("work_order", number),
            ("line", line),
            ("operator", responsible),
        }
    # Ids only, each named from its small table: joining four tables to every event of
    # thousands of steps cost more than the events themselves (measured at 1M lots).
    lines = dict(Line.objects.values_list("pk", "code"))
    shifts = dict(Shift.objects.values_list("pk", "code"))
    stations = dict(Station.objects.values_list("pk", "code"))
    operators = dict(Operator.objects.values_list("pk", "code"))
    events = Event.objects.filter(step_id__in=values_in(list(made_at))).values_list(
        "step_id", "line_id", "shift_id", "station_id", "actor_id"
    )
    for step_id, line_id, shift_id, station_id, actor_id in set(events):
        step = found.setdefault(step_id, set())
        line_code, shift_code = lines.get(line_id), shifts.get(shift_id)
        if line_code:
            step.add(("line", line_code))
        if shift_code:
            step.add(("shift", shift_code))
            if line_code:  # the shift on that line: its crew
                step.add(("shift", f"{line_code}/{shift_code}"))
        if station_id in stations:
            step.add(("station", stations[station_id]))
        if actor_id in operators:
            step.add(("operator", operators[actor_id]))
    return found


def _names(factors: Iterable[Factor]) -> dict[Factor, str]:
    """Each factor's name in the reader's language."""
    by_kind: dict[str, set[str]] = {}
    for kind, key in factors:
        by_kind.setdefault(kind, set()).add(key)
    names: dict[Factor, str] = {}

    def named(kind: str, model: Any, key_field: str = "code") -> None:
        keys = by_kind.get(kind, set())
        if not keys:
            return
        for key, name, name_zh in model.objects.filter(**{f"{key_field}__in": keys}).values_list(
            key_field, "name", "name_zh"
        ):
            names[(kind, key)] = name_in_language(name, name_zh)

    named("supplier", Supplier)
    named("line", Line)
    named("station", Station)
    named("operator", Operator)
    shifts = {
        code: name_in_language(name, name_zh)
        for code, name, name_zh in Shift.objects.values_list("code", "name", "name_zh")
    }
    for key in by_kind.get("shift", ()):
        line, _slash, shift = key.rpartition("/")
        shift_name = shifts.get(shift, shift)
        line_name = names.get(("line", line), line)
        names[("shift", key)] = f"{line_name} · {shift_name}" if line else shift_name
    for key, name, name_zh in (
        WorkOrderStep.objects.filter(operation__in=by_kind.get("step", ()))
        .values_list("operation", "name", "name_zh")
        .order_by()
        .distinct()
    ):
        names[("step", key)] = name_in_language(name, name_zh)
    for number, item, item_zh in WorkOrder.objects.filter(
        number__in=by_kind.get("work_order", ())
    ).values_list("number", "item__name", "item__name_zh"):
        names[("work_order", number)] = name_in_language(item, item_zh)
    supplier_names = {
        code: name_in_language(name, name_zh)
        for code, name, name_zh in Supplier.objects.values_list("code", "name", "name_zh")
    }
    for key in by_kind.get("supplier_lot", ()):
        supplier, _colon, _lot = key.partition(":")
        names[("supplier_lot", key)] = supplier_names.get(supplier, supplier)
    lots = by_kind.get("input_lot", set())
    if lots:
        for code, item, item_zh in Lot.objects.filter(
            code__in=values_in(list(lots), text=True)
        ).values_list("code", "item__name", "item__name_zh"):
            names[("input_lot", code)] = name_in_language(item, item_zh)
    return names
