"""Reading the master-data changes for the audit trail."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from tracelot.audit.models import MasterDataChange


def master_data_change_list(
    *, since: datetime | None = None, before: datetime | None = None
) -> QuerySet[MasterDataChange]:
    """Master-data changes newest first, optionally within [since, before)."""
    changes = MasterDataChange.objects.select_related("user", "content_type").order_by("-pk")
    if since is not None:
        changes = changes.filter(changed_at__gte=since)
    if before is not None:
        changes = changes.filter(changed_at__lt=before)
    return changes


def master_data_change_headers() -> list[str]:
    return [
        gettext("When"),
        gettext("Who"),
        gettext("From address"),
        gettext("Kind of record"),
        gettext("Record"),
        gettext("Action"),
        gettext("Change"),
        gettext("Reason"),
    ]


def master_data_change_rows(changes: QuerySet[MasterDataChange]) -> Iterator[list[Any]]:
    for c in changes.iterator(chunk_size=2000):
        yield [
            c.changed_at.isoformat(),
            c.user.get_username(),
            c.address or "",
            str(c.content_type.name),
            c.object_repr,
            c.get_action_display(),
            "; ".join(f"{label}: {before} → {after}" for label, before, after in c.change_lines()),
            c.reason,
        ]
