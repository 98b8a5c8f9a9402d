"""Reads of quality records: the plan for an item, a lot's inspections, pass rates."""

from django.db.models import Prefetch, QuerySet

from tracelot.items.models import Item
from tracelot.lots.models import Lot
from tracelot.quality.models import (
    Characteristic,
    Inspection,
    InspectionPlan,
    InspectionValue,
)


def inspection_plan_active_for_item(*, item: Item) -> InspectionPlan | None:
    """The active plan of `item` with its characteristics in order, or None."""
    return (
        InspectionPlan.objects.filter(item=item, active=True)
        .prefetch_related(
            Prefetch("characteristics", queryset=Characteristic.objects.order_by("sequence", "id"))
        )
        .first()
    )


def _with_values() -> QuerySet[Inspection]:
    values = InspectionValue.objects.select_related("characteristic").order_by(
        "characteristic__sequence", "characteristic_id"
    )
    return Inspection.objects.select_related("plan", "inspector", "lot").prefetch_related(
        Prefetch("values", queryset=values)
    )


def inspection_list_for_lot(*, lot: Lot) -> QuerySet[Inspection]:
    """The inspections of `lot`, newest first, with plan, inspector and values prefetched."""
    return _with_values().filter(lot=lot).order_by("-inspected_at", "-id")


def inspection_get(*, pk: int) -> Inspection:
    """One inspection with its plan, inspector and values."""
    return _with_values().get(pk=pk)
