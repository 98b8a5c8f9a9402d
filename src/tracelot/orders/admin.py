"""Admin for orders: purchase orders, routings, work orders with their steps, sales orders."""

from django.contrib import admin

from tracelot.audit.admin import ReasonedAdmin
from tracelot.orders.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    RoutingStep,
    SalesOrder,
    SalesOrderLine,
    WorkOrder,
    WorkOrderStep,
)


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    autocomplete_fields = ("item",)


class SalesOrderLineInline(admin.TabularInline):
    model = SalesOrderLine
    extra = 0
    autocomplete_fields = ("item",)


class WorkOrderStepInline(admin.TabularInline):
    model = WorkOrderStep
    extra = 0
    autocomplete_fields = ("output_item", "responsible")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReasonedAdmin):
    list_display = ("number", "supplier", "site", "status", "ordered_on")
    list_filter = ("status", "site")
    list_select_related = ("supplier", "site")
    search_fields = ("number", "supplier__code", "supplier__name", "supplier__name_zh")
    autocomplete_fields = ("supplier",)
    ordering = ("-ordered_on", "-pk")
    inlines = (PurchaseOrderLineInline,)


@admin.register(PurchaseOrderLine)
class PurchaseOrderLineAdmin(ReasonedAdmin):
    list_display = ("order", "item", "quantity")
    list_filter = ("order__status", "order__site")
    list_select_related = ("order", "item")
    search_fields = ("order__number", "item__code", "item__name", "item__name_zh")
    autocomplete_fields = ("order", "item")


@admin.register(RoutingStep)
class RoutingStepAdmin(ReasonedAdmin):
    list_display = (
        "item",
        "sequence",
        "operation",
        "name",
        "name_zh",
        "output_item",
        "responsible",
    )
    list_filter = ("operation", "item__kind")
    list_select_related = ("item", "output_item", "responsible")
    search_fields = ("item__code", "item__name", "operation", "name", "name_zh")
    autocomplete_fields = ("item", "output_item", "responsible")


@admin.register(WorkOrder)
class WorkOrderAdmin(ReasonedAdmin):
    list_display = (
        "number",
        "item",
        "planned_quantity",
        "site",
        "line",
        "shift",
        "status",
        "ordered_on",
    )
    list_filter = ("status", "site", "line", "shift")
    list_select_related = ("item", "site", "line", "shift")
    search_fields = ("number", "item__code", "item__name", "item__name_zh")
    autocomplete_fields = ("item", "line", "shift")
    ordering = ("-ordered_on", "-pk")
    inlines = (WorkOrderStepInline,)


@admin.register(WorkOrderStep)
class WorkOrderStepAdmin(ReasonedAdmin):
    list_display = (
        "work_order",
        "sequence",
        "operation",
        "name",
        "name_zh",
        "output_item",
        "responsible",
    )
    # No filter on `operation`: its choices would be a DISTINCT over every step ever made.
    list_filter = ("work_order__status", "work_order__site")
    list_select_related = ("work_order", "output_item", "responsible")
    search_fields = ("work_order__number", "operation", "name", "name_zh", "responsible__code")
    autocomplete_fields = ("work_order", "output_item", "responsible")


@admin.register(SalesOrder)
class SalesOrderAdmin(ReasonedAdmin):
    list_display = ("number", "customer", "site", "status", "ordered_on")
    list_filter = ("status", "site")
    list_select_related = ("customer", "site")
    search_fields = ("number", "customer__code", "customer__name", "customer__name_zh")
    autocomplete_fields = ("customer",)
    ordering = ("-ordered_on", "-pk")
    inlines = (SalesOrderLineInline,)


@admin.register(SalesOrderLine)
class SalesOrderLineAdmin(ReasonedAdmin):
    list_display = ("order", "item", "quantity")
    list_filter = ("order__status", "order__site")
    list_select_related = ("order", "item")
    search_fields = ("order__number", "item__code", "item__name", "item__name_zh")
    autocomplete_fields = ("order", "item")
