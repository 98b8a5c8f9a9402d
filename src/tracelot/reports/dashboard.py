"""Dashboard figures: output, QC pass rates, holds, expiring lots, refused scans."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from tracelot.core import clock
from tracelot.items.models import ItemKind
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus

OUTPUT_DAYS = 30
QC_DAYS = 90
EXPIRY_DAYS = 14
IN_STOCK = [LotStatus.QUARANTINE, LotStatus.RELEASED, LotStatus.ON_HOLD]


FIGURES_SECONDS = 120


def dashboard_figures() -> dict[str, Any]:
    """The chart figures, computed at most every two minutes.

    Aggregating months of events takes about a second on a 1,000,000-lot plant (measured);
    figures a minute or two old are fine for a dashboard, a second per page view is not.
    """
    figures = cache.get("tracelot:dashboard")
    if figures is None:
        figures = {
            "output": output_per_day_and_line(),
            "qc": qc_pass_rates(),
            "status": lots_by_status(),
            "as_of": clock.now().isoformat(timespec="seconds"),
        }
        cache.set("tracelot:dashboard", figures, FIGURES_SECONDS)
    return figures


def output_per_day_and_line(*, days: int = OUTPUT_DAYS) -> dict[str, Any]:
    """Finished goods produced per day and line over the last `days` days."""
    since = clock.now() - timedelta(days=days)
    rows = (
        Event.objects.filter(
            kind=EventKind.PRODUCE, occurred_at__gte=since, lot__item__kind=ItemKind.FINISHED
        )
        .annotate(day=TruncDate("occurred_at"))
        .values("day", "line__code")
        .annotate(total=Sum("quantity"))
        .order_by("day")
    )
    today = clock.today()
    day_list = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    series: dict[str, dict[date, float]] = defaultdict(dict)
    for row in rows:
        series[row["line__code"] or "-"][row["day"]] = float(row["total"])
    return {
        "days": [d.isoformat() for d in day_list],
        "series": [
            {"name": line, "data": [values.get(d, 0) for d in day_list]}
            for line, values in sorted(series.items())
        ],
    }


def qc_pass_rates(*, days: int = QC_DAYS) -> dict[str, list[dict[str, Any]]]:
    """Share of inspections passed by line, by shift and by supplier over `days` days."""
    since = clock.now() - timedelta(days=days)
    # Counted in the database, one row per (line, shift, supplier, result): the events of
    # three months are ~100,000 rows at 1,000,000 lots, too many to pull into Python.
    rows = (
        Event.objects.filter(kind=EventKind.INSPECT, occurred_at__gte=since)
        .values(
            "lot__work_order__line__code",
            "lot__work_order__shift__code",
            "lot__supplier__name",
            "data__result",
        )
        .annotate(n=Count("id"))
    )
    tallies: dict[str, dict[str, list[int]]] = {
        "line": defaultdict(lambda: [0, 0]),
        "shift": defaultdict(lambda: [0, 0]),
        "supplier": defaultdict(lambda: [0, 0]),
    }
    for row in rows:
        passed = row["data__result"] == "pass"
        keys = (
            ("line", row["lot__work_order__line__code"]),
            ("shift", row["lot__work_order__shift__code"]),
            ("supplier", row["lot__supplier__name"]),
        )
        for group, key in keys:
            if key:
                tally = tallies[group][key]
                tally[0] += row["n"] if passed else 0
                tally[1] += row["n"]
    return {
        group: [
            {"name": key, "passed": p, "total": t, "rate": round(100 * p / t, 1)}
            for key, (p, t) in sorted(values.items())
        ]
        for group, values in tallies.items()
    }


def open_holds(*, limit: int = 20) -> dict[str, Any]:
    held = Lot.objects.filter(status=LotStatus.ON_HOLD)
    return {
        "count": held.count(),
        "lots": list(held.select_related("item").order_by("-created_at")[:limit]),
    }


def expiring_soon(*, days: int = EXPIRY_DAYS, limit: int = 20) -> dict[str, Any]:
    today = clock.today()
    lots = Lot.objects.filter(
        status__in=IN_STOCK, expires_on__gte=today, expires_on__lte=today + timedelta(days=days)
    )
    return {
        "count": lots.count(),
        "lots": list(lots.select_related("item").order_by("expires_on")[:limit]),
    }


def lots_by_status() -> list[dict[str, Any]]:
    labels = dict(LotStatus.choices)
    rows = Lot.objects.values("status").annotate(n=Count("id")).order_by("status")
    return [{"name": str(labels.get(r["status"], r["status"])), "value": r["n"]} for r in rows]


def refused_scans(*, limit: int = 20) -> list[Any]:
    """The latest refused scans at the stations."""
    from tracelot.capture.models import ScanLog, ScanResult

    return list(
        ScanLog.objects.filter(result=ScanResult.REFUSED)
        .select_related("operator", "step__work_order")
        .order_by("-scanned_at", "-pk")[:limit]
    )
