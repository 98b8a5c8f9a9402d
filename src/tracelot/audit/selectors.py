"""Reading the audit trails: master-data changes and access records."""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext

from tracelot.audit.models import AccessRecord, MasterDataChange

R = TypeVar("R", MasterDataChange, AccessRecord)


def _within(
    records: QuerySet[R], field: str, since: datetime | None, before: datetime | None
) -> QuerySet[R]:
    if since is not None:
        records = records.filter(**{f"{field}__gte": since})
    if before is not None:
        records = records.filter(**{f"{field}__lt": before})
    return records


def master_data_change_list(
    *, since: datetime | None = None, before: datetime | None = None
) -> QuerySet[MasterDataChange]:
    """Master-data changes newest first, optionally within [since, before)."""
    changes = MasterDataChange.objects.select_related("user", "content_type").order_by("-pk")
    return _within(changes, "changed_at", since, before)


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


def access_record_list(
    *, since: datetime | None = None, before: datetime | None = None
) -> QuerySet[AccessRecord]:
    """Sign-ins, refusals, sign-outs, password and rights changes and exports, newest first."""
    records = AccessRecord.objects.select_related("user", "by").order_by("-position")
    return _within(records, "at", since, before)


def access_record_headers() -> list[str]:
    return [
        "#",
        gettext("When"),
        gettext("What"),
        gettext("User name"),
        gettext("By"),
        gettext("From address"),
        gettext("Detail"),
        gettext("Hash"),
    ]


def access_record_rows(records: QuerySet[AccessRecord]) -> Iterator[list[Any]]:
    for r in records.iterator(chunk_size=2000):
        yield [
            r.position,
            r.at.isoformat(),
            r.get_kind_display(),
            r.username,
            r.by.get_username() if r.by else "",
            r.address or "",
            json.dumps(r.detail, ensure_ascii=False) if r.detail else "",
            r.hash,
        ]
