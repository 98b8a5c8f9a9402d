"""Admin views of the ledger: events and chain heads, to look at and never to edit."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tracelot.core.admin import LargeTableAdmin, ReadOnlyAdmin
from tracelot.ledger.models import ChainHead, Event
from tracelot.lots.selectors import lot_id_for_code


@admin.register(Event)
class EventAdmin(LargeTableAdmin):
    # The table grows past a million rows: no date hierarchy, no full count, sorting only on
    # indexed columns, and search by exact lot code or key instead of LIKE over every row.
    list_display = (
        "chain_position",
        "kind",
        "lot",
        "quantity",
        "unit",
        "occurred_at",
        "actor",
        "responsible",
        "via",
        "site",
    )
    list_filter = ("kind", "via", "site")
    list_select_related = ("lot", "actor", "responsible", "site")
    search_fields = ("=lot__code", "=key")
    search_help_text = _("An exact lot code or idempotency key.")
    sortable_by = ("occurred_at",)
    ordering = ("-pk",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Event], search_term: str
    ) -> tuple[QuerySet[Event], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        lot_id = lot_id_for_code(term)
        if lot_id is not None:
            return queryset.filter(lot_id=lot_id), False
        return queryset.filter(key=term), False


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    list_display = ("site", "position", "hash")
    list_select_related = ("site",)
    search_fields = ("site__code", "site__name")
