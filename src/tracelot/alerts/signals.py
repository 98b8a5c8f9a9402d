"""Where alerts hear of what happened: the ledger's recorded events and new incidents. A
receiver only queues a job (one row, in the request's transaction) when some rule could
apply; the job does the rest after the request."""

import logging
from typing import Any

from django.db import DatabaseError, transaction

from tracelot.alerts.models import AlertRule, Condition
from tracelot.core.jobs import job_enqueue
from tracelot.incidents.models import Incident, IncidentStatus
from tracelot.ledger.models import Event, EventKind

logger = logging.getLogger(__name__)


def _rules(*conditions: Condition) -> bool:
    return AlertRule.objects.filter(active=True, condition__in=conditions).exists()


def _queue(func: str, *args: Any) -> None:
    """Queue the job in a savepoint of the caller's transaction: if queueing fails, the event,
    incident or scan that caused it is still recorded (on PostgreSQL a failed statement would
    otherwise spoil the whole transaction); the alert is then lost, and logged."""
    try:
        with transaction.atomic():
            job_enqueue(func, *args, name="alerts: check")
    except DatabaseError:
        logger.exception("Could not queue %s%r for the alerts", func, args)


def events_recorded(sender: Any, events: list[Event], **kwargs: Any) -> None:
    inspected = [event.pk for event in events if event.kind == EventKind.INSPECT]
    if inspected and _rules(Condition.INSPECTION_FAILED, Condition.CONTROL_CHART):
        _queue("tracelot.alerts.checks.inspections_check", inspected)


def incident_saved(sender: Any, instance: Incident, created: bool, **kwargs: Any) -> None:
    if created and _rules(Condition.INCIDENT_OPENED):
        _queue("tracelot.alerts.checks.incident_check", instance.pk)
    contained = instance.status == IncidentStatus.CONTAINED
    if not created and contained and _rules(Condition.INCIDENT_CONTAINED):
        _queue("tracelot.alerts.checks.incident_check", instance.pk,
               Condition.INCIDENT_CONTAINED.value)  # fmt: skip


def integrity_checked(sender: Any, run: Any, previous: Any, **kwargs: Any) -> None:
    # A run is itself a job or a command: the alert is raised at once, not queued.
    from tracelot.alerts.checks import integrity_checked as check

    if _rules(Condition.INTEGRITY):
        check(run, previous)


def scan_logged(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from tracelot.capture.models import ScanResult

    if created and instance.result == ScanResult.REFUSED and _rules(Condition.SCAN_REFUSED):
        _queue("tracelot.alerts.checks.scan_refused_check", instance.pk)
