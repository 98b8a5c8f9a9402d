"""Where alerts hear of what happened: the ledger's recorded events and new incidents. A
receiver only queues a job (one row, in the request's transaction) when some rule could
apply; the job does the rest after the request."""

from typing import Any

from tracelot.alerts.models import AlertRule, Condition
from tracelot.core.jobs import job_enqueue
from tracelot.incidents.models import Incident, IncidentStatus
from tracelot.ledger.models import Event, EventKind


def _rules(*conditions: Condition) -> bool:
    return AlertRule.objects.filter(active=True, condition__in=conditions).exists()


def events_recorded(sender: Any, events: list[Event], **kwargs: Any) -> None:
    inspected = [event.pk for event in events if event.kind == EventKind.INSPECT]
    if inspected and _rules(Condition.INSPECTION_FAILED, Condition.CONTROL_CHART):
        job_enqueue("tracelot.alerts.checks.inspections_check", inspected, name="alerts: check")


def incident_saved(sender: Any, instance: Incident, created: bool, **kwargs: Any) -> None:
    if created and _rules(Condition.INCIDENT_OPENED):
        job_enqueue("tracelot.alerts.checks.incident_check", instance.pk, name="alerts: check")
    contained = instance.status == IncidentStatus.CONTAINED
    if not created and contained and _rules(Condition.INCIDENT_CONTAINED):
        job_enqueue(
            "tracelot.alerts.checks.incident_check", instance.pk, Condition.INCIDENT_CONTAINED.value,
            name="alerts: check",
        )  # fmt: skip


def integrity_checked(sender: Any, run: Any, previous: Any, **kwargs: Any) -> None:
    # A run is itself a job or a command: the alert is raised at once, not queued.
    from tracelot.alerts.checks import integrity_checked as check

    if _rules(Condition.INTEGRITY):
        check(run, previous)


def scan_logged(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from tracelot.capture.models import ScanResult

    if created and instance.result == ScanResult.REFUSED and _rules(Condition.SCAN_REFUSED):
        job_enqueue("tracelot.alerts.checks.scan_refused_check", instance.pk, name="alerts: check")
