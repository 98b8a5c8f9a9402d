"""Admin for items: GS1 identity, bills of materials and routings."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tracelot.audit.admin import ReasonedAdmin, changed_by, form_fields, form_reason
from tracelot.items.models import BomLine, Item
from tracelot.items.services import bom_line_save, item_save

# Routing steps live in `orders` (they become work-order steps), but a planner edits an
# item's routing on the item's own page; admin modules load after all models, so these
# imports add no cycle between the apps' models.
from tracelot.orders.models import RoutingStep
from tracelot.orders.services import routing_step_save


class BomLineInline(admin.TabularInline):
    model = BomLine
    fk_name = "parent"
    extra = 0
    autocomplete_fields = ("component",)


class RoutingStepInline(admin.TabularInline):
    model = RoutingStep
    fk_name = "item"
    extra = 0
    autocomplete_fields = ("output_item", "responsible")


@admin.register(Item)
class ItemAdmin(ReasonedAdmin):
    list_display = ("code", "name", "name_zh", "kind", "unit", "gtin")
    list_filter = ("kind", "unit")
    search_fields = ("code", "name", "name_zh", "gtin")
    ordering = ("code",)
    inlines = (BomLineInline, RoutingStepInline)

    def save_model(self, request: HttpRequest, obj: Item, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        item_save(item=obj, reason=form_reason(form), by=changed_by(request), fields=fields)

    def save_row(
        self, request: HttpRequest, row: Any, *, reason: str, fields: list[str] | None
    ) -> None:
        by = changed_by(request)
        if isinstance(row, BomLine):
            bom_line_save(bom_line=row, reason=reason, by=by, fields=fields)
        else:
            routing_step_save(step=row, reason=reason, by=by, fields=fields)


@admin.register(BomLine)
class BomLineAdmin(ReasonedAdmin):
    list_display = ("parent", "component", "quantity")
    list_filter = ("parent__kind", "component__kind")
    list_select_related = ("parent", "component")
    search_fields = ("parent__code", "parent__name", "component__code", "component__name")
    autocomplete_fields = ("parent", "component")
    ordering = ("parent__code", "component__code")

    def save_model(self, request: HttpRequest, obj: BomLine, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        bom_line_save(bom_line=obj, reason=form_reason(form), by=changed_by(request), fields=fields)
