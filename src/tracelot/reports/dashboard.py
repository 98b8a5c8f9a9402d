"""Dashboard figures: output, QC pass rates, holds, expiring lots, refused scans."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext

from tracelot.capture.models import ScanLog, ScanResult
from tracelot.core import clock
from tracelot.core.models import name_in_language
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import IN_STOCK, LotStatus
from tracelot.lots.selectors import lots_expired_on_hand, lots_of_sites
from tracelot.reports.counts import lot_counts
from tracelot.reports.figures import figures_refresh
from tracelot.reports.models import DailyInspection, DailyOutput

OUTPUT_DAYS = 30
# The weekly QC trend: this ISO week so far and the twelve before it, about 90 days.
QC_WEEKS = 13
QC_GROUPS = ("line", "shift", "supplier")
# More lines than this in one chart cannot be told apart by colour; the rest are summed.
QC_SERIES = 8
EXPIRY_DAYS = 14


FIGURES_SECONDS = 120
DASHBOARD_CACHE_KEY = "tracelot:dashboard"


Sites = frozenset[int] | None  # the user's door (accounts.selectors.user_site_ids)


def _cache_key(site_ids: Sites) -> str:
    # One entry per language and set of sites: the figures carry translated labels and
    # names, and each user sees the figures of their own sites.
    sites = "all" if site_ids is None else ",".join(str(pk) for pk in sorted(site_ids))
    return f"{DASHBOARD_CACHE_KEY}:{get_language()}:{sites}"


def dashboard_cache_clear() -> None:
    """Forget the cached figures, so the next view counts again (the bench's uncached view)."""
    cache.delete_many([f"{DASHBOARD_CACHE_KEY}:{code}:all" for code, _name in settings.LANGUAGES])


def dashboard_figures(*, site_ids: Sites) -> dict[str, Any]:
    """The chart figures of `site_ids`, brought up to date at most every two minutes."""
    key = _cache_key(site_ids)
    figures = cache.get(key)
    if figures is None:
        figures_refresh()
        figures = {
            "output": output_per_day_and_line(site_ids=site_ids),
            "qc": qc_weekly_pass_rates(site_ids=site_ids),
            "status": lots_by_status(site_ids=site_ids),
            "as_of": clock.now().isoformat(timespec="seconds"),
        }
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


def _of_sites(rows: QuerySet[Any], site_ids: Sites) -> QuerySet[Any]:
    return rows if site_ids is None else rows.filter(site_id__in=list(site_ids))


def output_per_day_and_line(*, site_ids: Sites, days: int = OUTPUT_DAYS) -> dict[str, Any]:
    """Finished goods produced per day and line over the last `days` days."""
    today = clock.today()
    day_list = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    rows = (
        _of_sites(DailyOutput.objects.filter(day__gte=day_list[0]), site_ids)
        .values("day", "line__code")
        .annotate(total=Sum("quantity"))
        .order_by("day")
    )
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


def qc_weekly_pass_rates(*, site_ids: Sites, weeks: int = QC_WEEKS) -> dict[str, Any]:
    """Weekly QC pass rates by line, by shift and by supplier, each linked to its lots."""
    mondays = _mondays(weeks)
    last = mondays[-1] + timedelta(days=6)
    recent = _of_sites(DailyInspection.objects.filter(day__range=(mondays[0], last)), site_ids)
    figures: dict[str, Any] = {"weeks": [_week(monday) for monday in mondays]}
    for group in QC_GROUPS:
        counts, names = _qc_weekly_counts(recent, group, first=mondays[0], weeks=weeks)
        figures[group] = _qc_series(group, counts, names)
    return figures


def _mondays(weeks: int) -> list[date]:
    """The Mondays of the last `weeks` ISO weeks, oldest first, this week's last."""
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _week(monday: date) -> dict[str, str]:
    year, week, _weekday = monday.isocalendar()
    sunday = monday + timedelta(days=6)
    title = gettext("Week %(week)d of %(year)d (%(first)s to %(last)s)") % {
        "week": week,
        "year": year,
        "first": date_format(monday, "SHORT_DATE_FORMAT"),
        "last": date_format(sunday, "SHORT_DATE_FORMAT"),
    }
    return {
        "label": gettext("W%(week)d") % {"week": week},
        "title": title,
        # The lot search's date filters, for a click on the week's point.
        "from": monday.isoformat(),
        "to": sunday.isoformat(),
    }


Weekly = list[list[int]]  # [passed, total] of each week, oldest first


def _qc_weekly_counts(
    recent: QuerySet[Any], group: str, *, first: date, weeks: int
) -> tuple[dict[str, Weekly], dict[str, str]]:
    """Inspections passed and made per week, by the code of each line, shift or supplier;
    and each code's name in the reader's language."""
    code, name, name_zh = f"{group}__code", f"{group}__name", f"{group}__name_zh"
    rows = (
        recent.exclude(**{group: None})
        .values("day", code, name, name_zh)
        .annotate(passed=Sum("passed"), total=Sum("total"))
        .order_by()
    )
    counts: dict[str, Weekly] = {}
    names: dict[str, str] = {}
    for row in rows:
        # By code, as the lot search filters: one line code at two sites is one search.
        weekly = counts.setdefault(row[code], [[0, 0] for _week in range(weeks)])
        week = weekly[(row["day"] - first).days // 7]
        week[0] += row["passed"]
        week[1] += row["total"]
        names[row[code]] = name_in_language(row[name], row[name_zh]) or row[code]
    return counts, names


def _qc_series(group: str, counts: dict[str, Weekly], names: dict[str, str]) -> list[Any]:
    """One series per code, most inspected first; past QC_SERIES the rest are summed into
    one series that lists them (each with its link)."""
    ranked = sorted(counts, key=lambda key: (-sum(t for _p, t in counts[key]), names[key]))
    # A single summed series would only hide one name: up to QC_SERIES + 1 are shown.
    shown = ranked if len(ranked) <= QC_SERIES + 1 else ranked[:QC_SERIES]
    series = [_qc_one(names[key], counts[key], url=_lots_url(group, key)) for key in shown]
    rest = ranked[len(shown) :]
    if rest:
        summed = [[0, 0] for _week in counts[rest[0]]]
        for key in rest:
            for week, (passed, total) in zip(summed, counts[key], strict=True):
                week[0] += passed
                week[1] += total
        others = _qc_one(_others_name(group, len(rest)), summed, url="")
        others["others"] = [
            _qc_one(names[key], counts[key], url=_lots_url(group, key), points=False)
            for key in rest
        ]
        series.append(others)
    return series


def _qc_one(name: str, weekly: Weekly, *, url: str, points: bool = True) -> dict[str, Any]:
    passed, total = sum(p for p, _t in weekly), sum(t for _p, t in weekly)
    one: dict[str, Any] = {
        "name": name,
        "url": url,  # empty for the summed series: no one search finds its lots
        "passed": passed,
        "total": total,
        "rate": _rate(passed, total),
    }
    if points:
        # None where the week had no inspection: a gap in the line, not a 0 % week.
        one["points"] = [
            {"rate": _rate(p, t), "passed": p, "total": t, "note": _inspections_note(p, t)}
            if t
            else None
            for p, t in weekly
        ]
    return one


def _rate(passed: int, total: int) -> float:
    return round(100 * passed / total, 1) if total else 0.0


def _inspections_note(passed: int, total: int) -> str:
    return ngettext(
        "%(passed)d of %(total)d inspection passed",
        "%(passed)d of %(total)d inspections passed",
        total,
    ) % {"passed": passed, "total": total}


def _others_name(group: str, count: int) -> str:
    if group == "line":
        text = ngettext("%(count)d other line", "%(count)d other lines", count)
    elif group == "shift":
        text = ngettext("%(count)d other shift", "%(count)d other shifts", count)
    else:
        text = ngettext("%(count)d other supplier", "%(count)d other suppliers", count)
    return text % {"count": count}


def _lots_url(group: str, code: str) -> str:
    """The lot search filtered to one line, shift or supplier (its filters take codes)."""
    return f"{reverse('lotpages:lot-search')}?{urlencode({group: code})}"


def open_holds(*, site_ids: Sites, limit: int = 20) -> dict[str, Any]:
    """The lots on hold, oldest hold first, each with the reason and age of its hold."""
    held = lots_of_sites(site_ids).filter(status=LotStatus.ON_HOLD)
    lots = list(held.select_related("item", "location").order_by("-created_at")[:limit])
    holds: dict[int, Event] = {}
    for event in Event.objects.filter(
        lot__in=[lot.pk for lot in lots], kind=EventKind.HOLD, reversed_by__isnull=True
    ).order_by("chain_position"):
        holds[event.lot_id] = event  # the latest hold of each lot wins
    today = clock.today()
    rows: list[tuple[date, dict[str, Any]]] = []
    for lot in lots:
        hold = holds.get(lot.pk)
        since = clock.localdate(hold.occurred_at) if hold is not None else today
        row = {"lot": lot, "reason": hold.reason if hold else "", "days": (today - since).days}
        rows.append((since, row))
    rows.sort(key=lambda pair: pair[0])  # the oldest hold first: it has waited longest
    return {"count": held.count(), "lots": [row for _since, row in rows]}


def expired_on_hand(*, site_ids: Sites, limit: int = 20) -> dict[str, Any]:
    """Lots past their expiry date that still have something on hand, with where they are."""
    lots = lots_expired_on_hand(lots_of_sites(site_ids))
    return {
        "count": lots.count(),
        "lots": list(lots.select_related("item", "location").order_by("expires_on")[:limit]),
    }


def expiring_soon(*, site_ids: Sites, days: int = EXPIRY_DAYS, limit: int = 20) -> dict[str, Any]:
    today = clock.today()
    lots = lots_of_sites(site_ids).filter(
        status__in=IN_STOCK, expires_on__gte=today, expires_on__lte=today + timedelta(days=days)
    )
    return {
        "count": lots.count(),
        "lots": list(lots.select_related("item").order_by("expires_on")[:limit]),
    }


def lots_by_status(*, site_ids: Sites) -> list[dict[str, Any]]:
    """The start page's counts, in the chart's shape."""
    counts, _counted_at = lot_counts(site_ids=site_ids)
    return [{"name": str(r["label"]), "value": r["count"]} for r in counts]


def refused_scans(*, site_ids: Sites, limit: int = 20) -> list[Any]:
    """The latest refused scans at the stations."""
    return list(
        _of_sites(ScanLog.objects.filter(result=ScanResult.REFUSED), site_ids)
        .select_related("operator", "step__work_order")
        .order_by("-scanned_at", "-pk")[:limit]
    )
