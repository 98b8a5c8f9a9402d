"""Admin pieces every app shares."""

import json
from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest
from django.utils.functional import cached_property

EXACT_BELOW = 100_000  # rows: under this the exact count is cheap enough on either database


class LargeTablePaginator(Paginator):
    """Pages of a table of millions of rows (lots, events, edges, scans) without counting every
    row per page: on PostgreSQL the planner's estimate stands in for a count above EXACT_BELOW
    rows (SQLite has no estimate; its count of the smallest index stays exact)."""

    @cached_property
    def count(self) -> int:
        estimate = _planned_rows(self.object_list)
        if estimate is None or estimate < EXACT_BELOW:
            return super().count
        return estimate


def _planned_rows(rows: Any) -> int | None:
    if connection.vendor != "postgresql" or not hasattr(rows, "explain"):
        return None
    plan = json.loads(rows.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows written only by services (the ledger, its projections, logs): shown, never
    added, changed or deleted here; the ledger is corrected by reversal events."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LargeTableAdmin(ReadOnlyAdmin):
    """A read-only table that grows past a million rows: pages by LargeTablePaginator, and no
    second count of the whole table beside the filtered one."""

    paginator = LargeTablePaginator
    show_full_result_count = False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline of rows written only by services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
