"""What raises alerts, run by the background worker after the request that caused it: the
request only queues a job (alerts.signals), so recording stays as fast with rules as without."""

from django.utils.translation import gettext

from tracelot.alerts.models import Condition
from tracelot.alerts.raising import alert_raise, rules_for
from tracelot.incidents.models import Incident, ScopeRole
from tracelot.ledger.models import Event
from tracelot.quality.models import InspectionResult


def inspections_check(event_ids: list[int]) -> int:
    """Alerts for the failed inspections among the events; how many were raised."""
    raised = 0
    events = Event.objects.filter(pk__in=event_ids).select_related(
        "site", "lot", "step", "line", "shift", "responsible", "actor"
    )
    for event in events.order_by("pk"):
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
                        "reasons": [gettext("Failed: %(codes)s") % {"codes": ", ".join(failed)}]
                        if failed else []},
                step=event.step,
                line=event.line,
                shift=event.shift,
                responsible=event.responsible or event.actor,
            )  # fmt: skip
            raised += alert is not None
    return raised


def incident_check(incident_id: int) -> int:
    incident = Incident.objects.select_related("site").get(pk=incident_id)
    raised = 0
    for rule in rules_for(Condition.INCIDENT_OPENED, incident.site):
        alert = alert_raise(
            rule=rule,
            key=f"incident:{incident.pk}",
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
