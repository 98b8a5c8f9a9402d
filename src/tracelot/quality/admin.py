"""Admin for inspection plans (master data) and inspections (read-only: the ledger records them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from tracelot.audit.admin import ReasonedAdmin, changed_by, form_reason
from tracelot.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tracelot.quality.models import Characteristic, Inspection, InspectionPlan, InspectionValue
from tracelot.quality.services import CharacteristicSpec, inspection_plan_save


class CharacteristicInline(admin.TabularInline):
    model = Characteristic
    extra = 1
    fields = ("sequence", "code", "name", "name_zh", "kind", "unit", "lower_limit", "upper_limit")


def _specs(formset: BaseInlineFormSet[Any, Any, Any]) -> list[CharacteristicSpec]:
    """The characteristics the page keeps, in the order of their sequence numbers."""
    kept = [
        row.cleaned_data
        for row in formset.forms
        if row.cleaned_data
        and not formset._should_delete_form(row)  # type: ignore[attr-defined]
        and (row.instance.pk is not None or row.has_changed())
    ]
    kept.sort(key=lambda data: data.get("sequence") or 0)
    return [
        CharacteristicSpec(
            code=data["code"],
            name=data["name"],
            name_zh=data.get("name_zh", ""),
            kind=data["kind"],
            unit=data.get("unit", ""),
            lower_limit=data.get("lower_limit"),
            upper_limit=data.get("upper_limit"),
        )
        for data in kept
    ]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReasonedAdmin):
    list_display = ("name", "name_zh", "item", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "name_zh", "item__code", "item__name")
    list_select_related = ("item",)
    inlines = [CharacteristicInline]
    readonly_fields = ("created_at",)

    def save_model(
        self, request: HttpRequest, obj: InspectionPlan, form: Any, change: bool
    ) -> None:
        """Nothing yet: the plan is saved with its characteristics in save_related."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # One service call saves the plan and its characteristics together, so its checks
        # (at least one characteristic, limits that fit the kind) see the whole plan.
        formset = next(f for f in formsets if f.model is Characteristic)
        formset.save(commit=False)  # sorts the rows for the change message; writes nothing
        plan = form.instance
        inspection_plan_save(
            plan=plan,
            item=plan.item,
            name=plan.name,
            name_zh=plan.name_zh,
            active=plan.active,
            characteristics=_specs(formset),
            reason=form_reason(form),
            by=changed_by(request),
        )


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
