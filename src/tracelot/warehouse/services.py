"""Warehouse services: shipping scanned lots against a sales order."""

from decimal import Decimal

from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.ledger import services as ledger
from tracelot.ledger.models import Event, Via
from tracelot.lots.models import Lot
from tracelot.orders.models import SalesOrder
from tracelot.plants.models import Operator
from tracelot.trace.selectors import lot_ids_matching


def lot_for_scan(*, text: str) -> Lot:
    """The one lot a scanned or typed text names; refuse none or several."""
    ids = lot_ids_matching(text.strip())
    if not ids:
        raise Refused("lot_unknown", gettext("No lot matches %(text)s.") % {"text": text.strip()})
    if len(ids) > 1:
        raise Refused(
            "lot_ambiguous",
            gettext("%(text)s names %(count)s lots; scan our lot label instead.")
            % {"text": text.strip(), "count": len(ids)},
        )
    return Lot.objects.select_related("item").get(pk=ids[0])


def shipment_scan(
    *,
    sales_order: SalesOrder,
    text: str,
    actor: Operator,
    key: str,
    quantity: Decimal | None = None,
) -> Event:
    """Ship the scanned lot (all of what is on hand unless a quantity is given)."""
    lot = lot_for_scan(text=text)
    return ledger.lot_ship(
        lot=lot,
        sales_order=sales_order,
        quantity=quantity if quantity is not None else lot.quantity_on_hand,
        actor=actor,
        key=key,
        via=Via.SCAN,
    )
