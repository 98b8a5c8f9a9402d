"""Warehouse services: shipping scanned lots against a sales order."""

from decimal import Decimal

from tracelot.gs1.scan import scan_parse_lenient
from tracelot.ledger import services as ledger
from tracelot.ledger.models import Event, Via
from tracelot.ledger.resolver import ONE_LOT, lot_named
from tracelot.orders.models import SalesOrder
from tracelot.plants.models import Operator


def shipment_scan(
    *,
    sales_order: SalesOrder,
    text: str,
    actor: Operator,
    key: str,
    quantity: Decimal | None = None,
) -> Event:
    """Ship the scanned lot (all of what is on hand unless a quantity is given)."""
    # Shipping has no station set up: the scanner's GS substitute is guessed.
    lot = lot_named(scan=scan_parse_lenient(text=text), forms=ONE_LOT, sites={sales_order.site_id})
    return ledger.lot_ship(
        lot=lot,
        sales_order=sales_order,
        quantity=quantity if quantity is not None else lot.quantity_on_hand,
        actor=actor,
        key=key,
        via=Via.SCAN,
    )
