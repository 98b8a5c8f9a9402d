"""The audit trail: ledger events and master-data changes, filtered, for auditors."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.admin.models import LogEntry
from django.db.models import QuerySet
from django.utils import timezone

from tracelot.ledger.models import Event

PAGE = 50


@dataclass
class AuditFilters:
    kind: str = ""
    lot: str = ""
    actor: str = ""
    via: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, filters: AuditFilters) -> QuerySet[Event]:
    """Events newest first with who, where and why, filtered."""
    events = Event.objects.select_related(
        "lot",
        "actor",
        "responsible",
        "line",
        "shift",
        "work_order",
        "step",
        "sales_order",
        "purchase_order",
        "location",
        "station",
    ).order_by("-pk")  # ids grow with the chain; "-chain_position" alone has no index
    f = filters
    if f.kind:
        events = events.filter(kind=f.kind)
    if f.lot:
        events = events.filter(lot__code=f.lot.strip())
    if f.actor:
        events = events.filter(actor__code=f.actor.strip())
    if f.via:
        events = events.filter(via=f.via)
    if f.date_from:
        events = events.filter(occurred_at__gte=_day_start(f.date_from))
    if f.date_to:
        events = events.filter(occurred_at__lt=_day_start(f.date_to) + timedelta(days=1))
    return events


def master_data_changes(*, limit: int = PAGE) -> QuerySet[LogEntry]:
    """The latest changes of master data (admin log: who, when, what, how)."""
    return LogEntry.objects.select_related("user", "content_type").order_by("-action_time")[:limit]
