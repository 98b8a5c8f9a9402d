"""The audit trail: ledger events and master-data changes, filtered, for auditors."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext

from tracelot.core.exports import table_download
from tracelot.core.numbers import plain
from tracelot.ledger.models import Event, EventKind

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


def audit_events(*, filters: AuditFilters, site_ids: frozenset[int] | None) -> QuerySet[Event]:
    """The events of `site_ids` (None: every site) newest first, with who, where and why."""
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
    if site_ids is not None:
        events = events.filter(site_id__in=list(site_ids))
    f = filters
    if f.kind:
        events = events.filter(kind=f.kind)
    if f.lot:
        events = events.filter(lot__code=f.lot.strip())
    if f.actor:
        events = events.filter(actor__code=f.actor.strip())
    if f.via:
        events = events.filter(via=f.via)
    since, before = audit_period(f)
    if since:
        events = events.filter(occurred_at__gte=since)
    if before:
        events = events.filter(occurred_at__lt=before)
    return events


def audit_period(filters: AuditFilters) -> tuple[datetime | None, datetime | None]:
    """The filters' dates as [since, before) moments in plant time."""
    since = _day_start(filters.date_from) if filters.date_from else None
    before = _day_start(filters.date_to) + timedelta(days=1) if filters.date_to else None
    return since, before


EXPORT_LIMIT = 100_000


def _rows(events: QuerySet[Event]) -> Iterator[list[Any]]:
    # One row beyond the limit tells whether the export was cut, and says so in its last row.
    chosen = events.select_related("user")[: EXPORT_LIMIT + 1]
    for count, e in enumerate(chosen.iterator(chunk_size=2000), start=1):
        if count > EXPORT_LIMIT:
            yield [
                gettext(
                    "Cut here: the export holds the first %(limit)s events of the filter; "
                    "narrow the dates to export the rest."
                )
                % {"limit": f"{EXPORT_LIMIT:,}"}
            ]
            return
        data = e.data or {}
        yield [
            e.chain_position,
            e.occurred_at.isoformat(),
            e.recorded_at.isoformat(),
            e.kind,
            e.lot.code,
            plain(e.quantity),
            e.unit,
            data.get("status_before", ""),
            data.get("status_after", ""),
            data.get("result", "") if e.kind == EventKind.INSPECT else "",
            str(data.get("value", "")) if e.kind == EventKind.INSPECT else "",
            e.actor.name if e.actor else "",
            e.user.get_username() if e.user else "",
            e.responsible.name if e.responsible else "",
            e.station.code if e.station else "",
            e.line.code if e.line else "",
            e.location.code if e.location else "",
            e.work_order.number if e.work_order else "",
            e.sales_order.number if e.sales_order else "",
            e.purchase_order.number if e.purchase_order else "",
            e.reason,
            e.via,
            e.key,
            e.hash,
            e.seal_key,
        ]


def _headers() -> list[str]:
    return [
        "#",
        gettext("Occurred at"),
        gettext("Recorded"),
        gettext("Kind"),
        gettext("Lot"),
        gettext("Quantity"),
        gettext("Unit"),
        gettext("Status before"),
        gettext("Status after"),
        gettext("Inspection result"),
        gettext("Inspection values"),
        gettext("Done by"),
        gettext("Signed-in user"),
        gettext("Responsible"),
        gettext("Station"),
        gettext("Line"),
        gettext("Location"),
        gettext("Work order"),
        gettext("Sales order"),
        gettext("Purchase order"),
        gettext("Reason"),
        gettext("Captured via"),
        gettext("Idempotency key"),
        gettext("Hash"),
        gettext("Sealed with key"),
    ]


def audit_export(events: QuerySet[Event], kind: str) -> HttpResponseBase:
    """The filtered events as CSV (streamed) or XLSX, with their hashes for re-checking."""
    return table_download(
        headers=_headers(), rows=_rows(events), kind=kind, name="audit-trail",
        title=gettext("Audit trail"),
    )  # fmt: skip
