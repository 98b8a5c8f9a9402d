"""Warehouse reads: what a sales order asks for, what has been shipped on it, what to pick."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, QuerySet

from tracelot.core import clock
from tracelot.items.models import Item
from tracelot.ledger.models import Event, EventKind
from tracelot.ledger.selectors import shipped_by_item
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import SalesOrder

PICK_SUGGESTIONS = 3


def shipment_lines(*, sales_order: SalesOrder) -> QuerySet[Event]:
    """The ship events of `sales_order`, oldest first, with their lots and items."""
    return (
        Event.objects.filter(sales_order=sales_order, kind=EventKind.SHIP)
        .select_related("lot__item", "actor")
        .order_by("chain_position")
    )


@dataclass
class OrderLineProgress:
    item: Item
    ordered: Decimal
    shipped: Decimal
    open: Decimal
    pick: list[Lot] = field(default_factory=list)  # first expiry first out


def order_progress(*, sales_order: SalesOrder) -> list[OrderLineProgress]:
    """Ordered, shipped and open per order line, with the lots to pick for what is open.

    Several lines of one item are filled in their order.
    """
    shipped = shipped_by_item(sales_order_id=sales_order.pk)
    rows = []
    for line in sales_order.lines.select_related("item").order_by("pk"):
        taken = min(shipped.get(line.item_id, Decimal(0)), line.quantity)
        shipped[line.item_id] = shipped.get(line.item_id, Decimal(0)) - taken
        rows.append(OrderLineProgress(line.item, line.quantity, taken, line.quantity - taken))
    for row in rows:
        if row.open > 0:
            row.pick = fefo_lots(site_id=sales_order.site_id, item_id=row.item.pk)
    return rows


def shippable_lots(*, site_id: int, item_id: int) -> QuerySet[Lot]:
    """Released, unexpired lots of the item on hand at the site, the first to expire first."""
    return (
        Lot.objects.filter(
            site_id=site_id, item_id=item_id, status=LotStatus.RELEASED, quantity_on_hand__gt=0
        )
        .exclude(expires_on__lt=clock.today())
        .order_by(F("expires_on").asc(nulls_last=True), "code")
    )


def fefo_lots(*, site_id: int, item_id: int) -> list[Lot]:
    return list(shippable_lots(site_id=site_id, item_id=item_id)[:PICK_SUGGESTIONS])


def earlier_expiring(*, lot: Lot) -> Lot | None:
    """A shippable lot of the same item that expires before `lot` (or at all, when `lot` has
    no expiry), if there is one on hand: first expiry, first out."""
    lots = shippable_lots(site_id=lot.site_id, item_id=lot.item_id).exclude(pk=lot.pk)
    if lot.expires_on is None:
        return lots.filter(expires_on__isnull=False).first()
    return lots.filter(expires_on__lt=lot.expires_on).first()
