"""Admin for items: GS1 identity, bills of materials and routings."""

from django.contrib import admin

from tracelot.audit.admin import ReasonedAdmin
from tracelot.items.models import BomLine, Item

# Routing steps live in `orders` (they become work-order steps), but a planner edits an
# item's routing on the item's own page; admin modules load after all models, so this
# import adds no cycle between the apps' models.
from tracelot.orders.models import RoutingStep


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


@admin.register(BomLine)
class BomLineAdmin(ReasonedAdmin):
    list_display = ("parent", "component", "quantity")
    list_filter = ("parent__kind", "component__kind")
    list_select_related = ("parent", "component")
    search_fields = ("parent__code", "parent__name", "component__code", "component__name")
    autocomplete_fields = ("parent", "component")
    ordering = ("parent__code", "component__code")
