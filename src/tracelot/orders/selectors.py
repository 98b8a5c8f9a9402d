"""Reads of orders: a user's door to work and sales orders."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tracelot.orders.models import OrderStatus, SalesOrder, WorkOrder, WorkOrderStep
from tracelot.plants.selectors import user_site_ids


def _scoped(orders: QuerySet[Any], user: Any) -> QuerySet[Any]:
    site_ids = user_site_ids(user=user)
    return orders if site_ids is None else orders.filter(site_id__in=list(site_ids))


def sales_order_list_for_user(*, user: Any, open_only: bool = False) -> QuerySet[SalesOrder]:
    """The sales orders of the user's sites, newest first, with their customers."""
    orders = _scoped(SalesOrder.objects.select_related("customer"), user)
    if open_only:
        orders = orders.filter(status=OrderStatus.OPEN)
    return orders.order_by("-ordered_on", "-pk")


def sales_order_get_for_user(*, user: Any, number: str) -> SalesOrder:
    """The sales order `number` of one of the user's sites; 404 otherwise."""
    orders = sales_order_list_for_user(user=user).filter(number=number).order_by("site_id")
    return _first_or_404(orders)


def work_order_list_for_user(*, user: Any, open_only: bool = False) -> QuerySet[WorkOrder]:
    """The work orders of the user's sites, newest first, with item, line and shift."""
    orders = _scoped(WorkOrder.objects.select_related("item", "line", "shift"), user)
    if open_only:
        orders = orders.filter(status=OrderStatus.OPEN)
    return orders.order_by("-ordered_on", "-pk")


def work_order_step_get_for_user(*, user: Any, number: str, sequence: int) -> WorkOrderStep:
    """Step `sequence` of work order `number` at one of the user's sites; 404 otherwise."""
    steps = WorkOrderStep.objects.select_related(
        "work_order__line", "work_order__shift", "output_item", "responsible"
    ).filter(work_order__number=number, sequence=sequence)
    site_ids = user_site_ids(user=user)
    if site_ids is not None:
        steps = steps.filter(work_order__site_id__in=list(site_ids))
    return _first_or_404(steps.order_by("work_order__site_id"))


def _first_or_404(rows: QuerySet[Any]) -> Any:
    found = rows.first()
    if found is None:
        raise Http404
    return found
