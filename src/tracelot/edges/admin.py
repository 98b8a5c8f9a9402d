"""Admin view of genealogy edges: a projection rebuilt from the ledger, so read-only here."""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tracelot.core.admin import LargeTableAdmin
from tracelot.edges.models import Edge
from tracelot.lots.selectors import lot_id_for_code


@admin.register(Edge)
class EdgeAdmin(LargeTableAdmin):
    # Millions of rows: exact lot-code search served by the two edge indexes, no full count.
    list_display = ("source", "target", "step", "quantity", "site")
    list_filter = ("site",)
    list_select_related = ("source", "target", "step__work_order", "site")
    raw_id_fields = ("source", "target", "step")
    search_fields = ("=source__code", "=target__code")
    search_help_text = _("An exact lot code, as input or output.")
    sortable_by = ()
    ordering = ("-pk",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Edge], search_term: str
    ) -> tuple[QuerySet[Edge], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        lot_id = lot_id_for_code(term)
        if lot_id is None:
            return queryset.none(), False
        return queryset.filter(Q(source_id=lot_id) | Q(target_id=lot_id)), False
