"""Reads of quality records: the plan for an item, a lot's inspections, pass rates."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from tracelot.items.models import Item
from tracelot.lots.models import Lot
from tracelot.quality.models import (
    Characteristic,
    Inspection,
    InspectionPlan,
    InspectionResult,
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


@dataclass(frozen=True)
class PassRate:
    inspected: int
    passed: int

    @property
    def rate(self) -> Decimal | None:
        """The share passed, 0 to 1, or None when nothing was inspected."""
        if not self.inspected:
            return None
        return Decimal(self.passed) / Decimal(self.inspected)


def inspection_pass_rate(
    *,
    item: Item | None = None,
    plan: InspectionPlan | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> PassRate:
    """How many inspections passed, optionally for one item or plan and a time window."""
    inspections = Inspection.objects.all()
    if item is not None:
        inspections = inspections.filter(lot__item=item)
    if plan is not None:
        inspections = inspections.filter(plan=plan)
    if since is not None:
        inspections = inspections.filter(inspected_at__gte=since)
    if until is not None:
        inspections = inspections.filter(inspected_at__lt=until)
    counts = inspections.aggregate(
        inspected=Count("id"), passed=Count("id", filter=Q(result=InspectionResult.PASS))
    )
    return PassRate(inspected=counts["inspected"], passed=counts["passed"])
