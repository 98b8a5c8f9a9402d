"""Warehouse reads: open sales orders and what has been shipped on one."""

from django.db.models import QuerySet

from tracelot.ledger.models import Event, EventKind
from tracelot.orders.models import SalesOrder


def shipment_lines(*, sales_order: SalesOrder) -> QuerySet[Event]:
    """The ship events of `sales_order`, oldest first, with their lots and items."""
    return (
        Event.objects.filter(sales_order=sales_order, kind=EventKind.SHIP)
        .select_related("lot__item", "actor")
        .order_by("chain_position")
    )
