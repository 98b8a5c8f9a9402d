"""Warehouse services: shipping scanned lots against a sales order."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from tracelot.gs1.scan import scan_parse_lenient
from tracelot.ledger import services as ledger
from tracelot.ledger.models import Event, Via
from tracelot.ledger.resolver import ONE_LOT, lot_named
from tracelot.orders.models import SalesOrder
from tracelot.plants.models import Operator
from tracelot.warehouse.selectors import earlier_expiring


@dataclass(frozen=True)
class Shipped:
    event: Event
    notice: str = ""  # first expiry, first out: a lot that should have gone first


def shipment_scan(
    *,
    sales_order: SalesOrder,
    text: str,
    actor: Operator,
    key: str,
    quantity: Decimal | None = None,
) -> Shipped:
    """Ship the scanned lot (all of what is on hand unless a quantity is given).

    The guards of the ship kind decide (ledger.guards.shippable); this only reads the scan.
    """
    # Shipping has no station set up: the scanner's GS substitute is guessed.
    lot = lot_named(scan=scan_parse_lenient(text=text), forms=ONE_LOT, sites={sales_order.site_id})
    event = ledger.lot_ship(
        lot=lot,
        sales_order=sales_order,
        quantity=quantity if quantity is not None else lot.quantity_on_hand,
        actor=actor,
        key=key,
        via=Via.SCAN,
    )
    earlier = earlier_expiring(lot=event.lot)
    notice = ""
    if earlier is not None and earlier.expires_on is not None:
        notice = gettext(
            "Lot %(earlier)s of the same item expires earlier (%(date)s) and is on hand: "
            "first expiry, first out would ship it first."
        ) % {"earlier": earlier.code, "date": earlier.expires_on.isoformat()}
    return Shipped(event=event, notice=notice)
