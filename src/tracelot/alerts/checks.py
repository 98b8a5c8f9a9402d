"""What raises alerts, run by the background worker after the request that caused it: the
request only queues a job (alerts.signals), so recording stays as fast with rules as without."""

from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, QuerySet

from tracelot.alerts.models import Alert, AlertRule, Condition
from tracelot.alerts.raising import alert_raise, rules_for
from tracelot.capture.models import ScanLog, ScanResult
from tracelot.core import clock
from tracelot.incidents.models import Incident, ScopeRole
from tracelot.items.models import Item
from tracelot.ledger.integrity import OF_LOTS, OUTPUT_KINDS, integrity_new_findings, step_gaps
from tracelot.ledger.models import Event, EventKind, IntegrityRun
from tracelot.lots.models import IN_STOCK, Lot, LotStatus
from tracelot.lots.selectors import lots_expired_on_hand
from tracelot.orders.models import WorkOrderStep
from tracelot.plants.models import Site
from tracelot.quality.charts import control_chart
from tracelot.quality.models import InspectionResult, InspectionValue
from tracelot.quality.spc import Rule

# How many points each rule looks at: the lots of those are named in the alert.
WINDOW = {
    Rule.BEYOND_3_SIGMA: 1,
    Rule.TWO_OF_THREE_BEYOND_2_SIGMA: 3,
    Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA: 5,
    Rule.EIGHT_ON_ONE_SIDE: 8,
}


def inspections_check(event_ids: list[int]) -> int:
    """Alerts for the failed inspections among the events, and for the control-chart rules
    their measured values break; how many were raised."""
    raised = 0
    events = Event.objects.filter(pk__in=event_ids).select_related(
        "site", "lot", "step", "line", "shift", "responsible", "actor"
    )
    for event in events.order_by("pk"):
        raised += _chart_check(event)
        if event.data.get("result") != InspectionResult.FAIL:
            continue
        failed = [
            code
            for code, value in (event.data.get("values") or {}).items()
            if value.get("result") == InspectionResult.FAIL
        ]
        for rule in rules_for(Condition.INSPECTION_FAILED, event.site):
            alert = alert_raise(
                rule=rule,
                key=f"inspection:{event.pk}",
                site=event.site,
                lots=[event.lot],
                detail={"lot": event.lot.code, "event": event.pk, "failed": failed,
                        "plan": event.data.get("plan")},
                step=event.step,
                line=event.line,
                shift=event.shift,
                responsible=event.responsible or event.actor,
            )  # fmt: skip
            raised += alert is not None
    return raised


def incident_check(incident_id: int, condition: str = Condition.INCIDENT_OPENED.value) -> int:
    """An alert for an incident opened, or contained (once each)."""
    incident = Incident.objects.select_related("site").get(pk=incident_id)
    raised = 0
    for rule in rules_for(Condition(condition), incident.site):
        alert = alert_raise(
            rule=rule,
            key=f"{condition}:{incident.pk}",
            site=incident.site,
            lots=[
                named.lot
                for named in incident.lots.select_related("lot").exclude(role=ScopeRole.EXCLUDED)
            ],
            detail={"incident": incident.number, "title": incident.title},
            incident=incident,
        )
        raised += alert is not None
    return raised


def _chart_check(event: Event) -> int:
    """The control chart of each characteristic the inspection measured: an alert when its
    newest point breaks a Western Electric rule, naming the lots of the points in the rule."""
    rules = rules_for(Condition.CONTROL_CHART, event.site)
    if not rules:
        return 0
    measured = InspectionValue.objects.filter(
        inspection__event=event, value__isnull=False
    ).select_related("characteristic__plan__item")
    raised = 0
    for reading in measured:
        characteristic = reading.characteristic
        chart = control_chart(characteristic, line=event.line, site_id=event.site_id)
        index = chart.index_of(event.pk)
        broken = chart.broken_at(index) if index is not None else []
        if not broken or index is None:
            continue
        window = max(WINDOW[v.rule] for v in broken)
        codes = {point.lot for point in chart.points[max(0, index + 1 - window) : index + 1]}
        lots = list(Lot.objects.filter(site=event.site, code__in=codes))
        item = characteristic.plan.item
        for rule in rules:
            alert = alert_raise(
                rule=rule,
                key=f"chart:{characteristic.pk}:{event.pk}",
                site=event.site,
                lots=lots,
                # Ids, worded when read, in the reader's language (the names as they were,
                # for a characteristic deleted since).
                detail={
                    "characteristic_id": characteristic.pk,
                    "characteristic": characteristic.display_name,
                    "item": item.code,
                    "rules": [int(v.rule) for v in broken],
                },
                step=event.step,
                line=event.line,
                shift=event.shift,
                responsible=event.responsible or event.actor,
            )
            raised += alert is not None
    return raised


def integrity_checked(run: IntegrityRun, previous: IntegrityRun | None) -> int:
    """An alert when a run of the integrity check finds what the run before did not."""
    new = integrity_new_findings(run, previous)
    if not new:
        return 0
    codes = [code for check, found in new.items() if check in OF_LOTS for code in found]
    raised = 0
    first_site = Site.objects.order_by("pk").first()
    for rule in AlertRule.objects.filter(active=True, condition=Condition.INTEGRITY):
        site = rule.site or first_site
        if site is None:
            continue
        alert = alert_raise(
            rule=rule,
            key=f"integrity:{run.pk}",
            site=site,
            lots=Lot.objects.filter(site=site, code__in=codes),
            detail={"run": run.pk, "new": sum(len(found) for found in new.values()),
                    "found": {check: {"count": run.findings[check]["count"], "examples": found}
                              for check, found in new.items()}},
        )  # fmt: skip
        raised += alert is not None
    return raised


def scan_refused_check(scan_id: int) -> int:
    """An alert when a station refused `count` scans within `minutes` (one per burst: the
    refusals of an alert are not counted again)."""
    scan = ScanLog.objects.select_related("site", "station", "operator", "lot").get(pk=scan_id)
    raised = 0
    for rule in rules_for(Condition.SCAN_REFUSED, scan.site):
        since = scan.scanned_at - timedelta(minutes=rule.minutes)
        earlier = (
            Alert.objects.filter(rule=rule, detail__station=scan.station_id)
            .order_by("-raised_at")
            .first()
        )
        if earlier is not None:
            since = max(since, earlier.raised_at)
        refused = ScanLog.objects.filter(
            station=scan.station, result=ScanResult.REFUSED, scanned_at__gt=since,
            scanned_at__lte=scan.scanned_at,
        )  # fmt: skip
        if refused.count() < rule.count:
            continue
        alert = alert_raise(
            rule=rule,
            key=f"scan:{scan.pk}",
            site=scan.site,
            lots=Lot.objects.filter(pk__in=refused.exclude(lot=None).values("lot")),
            detail={"station": scan.station_id, "station_name": str(scan.station or ""),
                    "refused": refused.count(), "minutes": rule.minutes,
                    "messages": _distinct_messages(refused)},
            responsible=scan.operator,
        )  # fmt: skip
        raised += alert is not None
    return raised


def lots_daily_check() -> int:
    """The daily conditions: lots expiring within N days, expired lots still on hand, lots
    on hold for N days. One alert per rule and day, naming the lots not named before."""
    today = clock.today()
    raised = 0
    for rule in AlertRule.objects.filter(
        active=True,
        condition__in=[Condition.EXPIRING, Condition.EXPIRED_ON_HAND, Condition.HOLD_AGE],
    ).select_related("site"):
        sites = Site.objects.filter(pk=rule.site_id) if rule.site_id else Site.objects.all()
        for site in sites.order_by("pk"):
            lots = _daily_lots(rule, site, today).exclude(
                pk__in=Alert.objects.filter(rule=rule).values("lots")
            )
            chosen = list(lots.order_by("code")[:DAILY_LOTS])
            if not chosen:
                continue
            alert = alert_raise(
                rule=rule, key=f"daily:{site.pk}:{today.isoformat()}", site=site, lots=chosen,
                detail={"days": rule.days, "count": len(chosen)},
            )  # fmt: skip
            raised += alert is not None
    return raised


DAILY_LOTS = 200  # an alert names at most this many lots; the next day's names the rest

# A step is judged once it has been still this long (consumption is recorded before the
# output it makes, so a step in progress is out of balance by nature), and while its last
# event is recent enough to matter.
QUIET = timedelta(hours=2)
RECENT = timedelta(days=8)


def mass_balance_check() -> int:
    """Alerts for the work-order steps, still for a while, whose consumption of a component
    is off the bill of materials by more than each rule's percent; once per rule and step."""
    rules = list(AlertRule.objects.filter(active=True, condition=Condition.MASS_BALANCE))
    if not rules:
        return 0
    now = clock.now()
    lasts = (
        Event.objects.filter(step__isnull=False, occurred_at__gte=now - RECENT - QUIET)
        .values("step_id")
        .annotate(last=Max("occurred_at"))
        .filter(last__lte=now - QUIET)
        .values_list("step_id", flat=True)
    )
    gaps = step_gaps(step_ids=list(lasts))
    steps = WorkOrderStep.objects.select_related(
        "work_order__site", "work_order__line", "work_order__shift", "responsible"
    ).in_bulk([gap.step_id for gap in gaps])
    items = Item.objects.in_bulk([gap.component_id for gap in gaps])
    raised = 0
    for gap in gaps:
        step = steps[gap.step_id]
        site = step.work_order.site
        for rule in rules:
            if (rule.site_id and rule.site_id != site.pk) or gap.off * 100 <= rule.percent:
                continue
            alert = alert_raise(
                rule=rule, key=f"balance:{step.pk}", site=site, lots=_made_by(step),
                detail={"step": gap.step, "component": items[gap.component_id].code,
                        "component_id": gap.component_id,
                        "expected": f"{gap.expected.normalize():f}",
                        "actual": f"{gap.actual.normalize():f}",
                        "percent": f"{gap.off * 100:.1f}"},
                step=step, line=step.work_order.line, shift=step.work_order.shift,
                responsible=step.responsible,
            )  # fmt: skip
            raised += alert is not None
    return raised


def _made_by(step: WorkOrderStep) -> list[Lot]:
    made = Event.objects.filter(step=step, kind__in=OUTPUT_KINDS).values("lot_id")
    return list(Lot.objects.filter(pk__in=made).order_by("code")[:DAILY_LOTS])


def _daily_lots(rule: AlertRule, site: Site, today: date) -> QuerySet[Lot]:
    lots = Lot.objects.filter(site=site)
    if rule.condition == Condition.EXPIRING:
        return lots.filter(
            status__in=IN_STOCK, expires_on__gte=today,
            expires_on__lte=today + timedelta(days=rule.days),
        )  # fmt: skip
    if rule.condition == Condition.EXPIRED_ON_HAND:
        return lots_expired_on_hand(lots)
    held_since = clock.now() - timedelta(days=rule.days)
    holds = Event.objects.filter(
        lot=OuterRef("pk"), kind=EventKind.HOLD, reversed_by__isnull=True,
        occurred_at__gt=held_since,
    )  # fmt: skip
    return lots.filter(status=LotStatus.ON_HOLD).exclude(Exists(holds))


def _distinct_messages(refused: QuerySet[ScanLog]) -> list[dict[str, str]]:
    """The refusals' messages, each in both languages, the same one once (at most five)."""
    seen: dict[str, dict[str, str]] = {}
    for scan in refused.order_by("pk"):
        messages = scan.messages or {"en": scan.message}
        seen.setdefault(scan.code or scan.message, messages)
    return list(seen.values())[:5]
