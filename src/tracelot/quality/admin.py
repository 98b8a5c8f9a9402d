"""Admin for inspection plans (master data) and inspections (read-only: the ledger records them)."""

from django.contrib import admin

from tracelot.audit.admin import ReasonedAdmin
from tracelot.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tracelot.quality.models import Characteristic, Inspection, InspectionPlan, InspectionValue


class CharacteristicInline(admin.TabularInline):
    model = Characteristic
    extra = 1
    fields = ("sequence", "code", "name", "name_zh", "kind", "unit", "lower_limit", "upper_limit")


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReasonedAdmin):
    list_display = ("name", "item", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "item__code", "item__name")
    list_select_related = ("item",)
    inlines = [CharacteristicInline]
    readonly_fields = ("created_at",)


class InspectionValueInline(ReadOnlyInline):
    model = InspectionValue
    fields = ("characteristic", "value", "passed", "lower_limit", "upper_limit", "result")
    readonly_fields = fields


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("lot", "plan", "result", "inspector", "inspected_at")
    list_filter = ("result",)
    search_fields = ("lot__code", "plan__name")
    list_select_related = ("lot", "plan", "inspector")
    date_hierarchy = "inspected_at"
    fields = ("site", "lot", "plan", "result", "inspector", "inspected_at", "event", "note")
    readonly_fields = fields
    inlines = [InspectionValueInline]
