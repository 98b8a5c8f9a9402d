"""Admin for orders: purchase orders, routings, work orders with their steps, sales orders."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tracelot.audit.admin import ReasonedAdmin, changed_by, form_fields, form_reason
from tracelot.core.admin import ReadOnlyInline
from tracelot.orders.models import (
    ApprovedSupplier,
    PurchaseOrder,
    PurchaseOrderLine,
    RoutingStep,
    SalesOrder,
    SalesOrderLine,
    WorkOrder,
    WorkOrderStep,
)
from tracelot.orders.services import (
    approved_supplier_save,
    purchase_order_line_save,
    routing_step_save,
    sales_order_line_save,
    work_order_create,
    work_order_save,
    work_order_step_responsible_set,
)

STEP_FIELDS = ("sequence", "operation", "name", "name_zh", "output_item", "responsible")


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    autocomplete_fields = ("item",)


class SalesOrderLineInline(admin.TabularInline):
    model = SalesOrderLine
    extra = 0
    autocomplete_fields = ("item",)


class WorkOrderStepInline(ReadOnlyInline):
    """The steps as the work order took them from its item's routing: never typed here."""

    model = WorkOrderStep
    fields = STEP_FIELDS
    readonly_fields = STEP_FIELDS


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReasonedAdmin):
    list_display = ("number", "supplier", "site", "status", "ordered_on")
    list_filter = ("status", "site")
    list_select_related = ("supplier", "site")
    search_fields = ("number", "supplier__code", "supplier__name", "supplier__name_zh")
    autocomplete_fields = ("supplier",)
    ordering = ("-ordered_on", "-pk")
    inlines = (PurchaseOrderLineInline,)

    def save_row(
        self, request: HttpRequest, row: Any, *, reason: str, fields: list[str] | None
    ) -> None:
        purchase_order_line_save(line=row, reason=reason, by=changed_by(request), fields=fields)


@admin.register(ApprovedSupplier)
class ApprovedSupplierAdmin(ReasonedAdmin):
    list_display = ("item", "supplier", "note")
    list_select_related = ("item", "supplier")
    search_fields = (
        "item__code",
        "item__name",
        "item__name_zh",
        "supplier__code",
        "supplier__name",
    )
    autocomplete_fields = ("item", "supplier")

    def save_model(
        self, request: HttpRequest, obj: ApprovedSupplier, form: Any, change: bool
    ) -> None:
        fields = form_fields(form) if change else None
        approved_supplier_save(
            approval=obj, reason=form_reason(form), by=changed_by(request), fields=fields
        )


@admin.register(PurchaseOrderLine)
class PurchaseOrderLineAdmin(ReasonedAdmin):
    list_display = ("order", "item", "quantity")
    list_filter = ("order__status", "order__site")
    list_select_related = ("order", "item")
    search_fields = ("order__number", "item__code", "item__name", "item__name_zh")
    autocomplete_fields = ("order", "item")

    def save_model(
        self, request: HttpRequest, obj: PurchaseOrderLine, form: Any, change: bool
    ) -> None:
        fields = form_fields(form) if change else None
        purchase_order_line_save(
            line=obj, reason=form_reason(form), by=changed_by(request), fields=fields
        )


@admin.register(RoutingStep)
class RoutingStepAdmin(ReasonedAdmin):
    list_display = ("item", *STEP_FIELDS)
    list_filter = ("operation", "item__kind")
    list_select_related = ("item", "output_item", "responsible")
    search_fields = ("item__code", "item__name", "operation", "name", "name_zh")
    autocomplete_fields = ("item", "output_item", "responsible")

    def save_model(self, request: HttpRequest, obj: RoutingStep, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        routing_step_save(step=obj, reason=form_reason(form), by=changed_by(request), fields=fields)


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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        # A new work order is open; its status changes once it exists.
        return fields if obj is not None else [f for f in fields if f != "status"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Its steps came from this item's routing (work_order_save refuses a new item too).
        return ("item",) if obj is not None else ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.base_fields["item"].help_text = _(
                "The work order's steps are copied from this item's routing."
            )
        return form

    def save_model(self, request: HttpRequest, obj: WorkOrder, form: Any, change: bool) -> None:
        reason, by = form_reason(form), changed_by(request)
        if change:
            work_order_save(work_order=obj, reason=reason, by=by, fields=form_fields(form))
            return
        created = work_order_create(
            site=obj.site,
            number=obj.number,
            item=obj.item,
            line=obj.line,
            shift=obj.shift,
            planned_quantity=obj.planned_quantity,
            ordered_on=obj.ordered_on,
            reason=reason,
            by=by,
        )
        # The admin goes on with its own instance (inlines, change message, redirect).
        obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db


@admin.register(WorkOrderStep)
class WorkOrderStepAdmin(ReasonedAdmin):
    list_display = ("work_order", *STEP_FIELDS)
    # No filter on `operation`: its choices would be a DISTINCT over every step ever made.
    list_filter = ("work_order__status", "work_order__site")
    list_select_related = ("work_order", "output_item", "responsible")
    search_fields = ("work_order__number", "operation", "name", "name_zh", "responsible__code")
    # A step is what the routing gave the work order; only who answers for it may change.
    readonly_fields = ("work_order", "sequence", "operation", "name", "name_zh", "output_item")
    autocomplete_fields = ("responsible",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # work orders take their steps from the routing (work_order_create)

    def save_model(self, request: HttpRequest, obj: WorkOrderStep, form: Any, change: bool) -> None:
        work_order_step_responsible_set(
            step=obj, responsible=obj.responsible, reason=form_reason(form), by=changed_by(request)
        )


@admin.register(SalesOrder)
class SalesOrderAdmin(ReasonedAdmin):
    list_display = ("number", "customer", "site", "status", "ordered_on")
    list_filter = ("status", "site")
    list_select_related = ("customer", "site")
    search_fields = ("number", "customer__code", "customer__name", "customer__name_zh")
    autocomplete_fields = ("customer",)
    ordering = ("-ordered_on", "-pk")
    inlines = (SalesOrderLineInline,)

    def save_row(
        self, request: HttpRequest, row: Any, *, reason: str, fields: list[str] | None
    ) -> None:
        sales_order_line_save(line=row, reason=reason, by=changed_by(request), fields=fields)


@admin.register(SalesOrderLine)
class SalesOrderLineAdmin(ReasonedAdmin):
    list_display = ("order", "item", "quantity")
    list_filter = ("order__status", "order__site")
    list_select_related = ("order", "item")
    search_fields = ("order__number", "item__code", "item__name", "item__name_zh")
    autocomplete_fields = ("order", "item")

    def save_model(
        self, request: HttpRequest, obj: SalesOrderLine, form: Any, change: bool
    ) -> None:
        fields = form_fields(form) if change else None
        sales_order_line_save(
            line=obj, reason=form_reason(form), by=changed_by(request), fields=fields
        )
