"""Reading a supplier's label: GS1 GTIN, batch, expiry and quantity, to fill in a receipt."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracelot.gs1.scan import ScanKind, gtin_forms, scan_parse, scan_parse_lenient
from tracelot.items.models import Item


@dataclass
class SupplierLabel:
    gtin: str = ""
    batch: str = ""
    expires_on: date | None = None
    quantity: Decimal | None = None
    item: Item | None = None


def supplier_label_read(*, text: str, gs_substitute: str = "") -> SupplierLabel:
    """What a supplier's GS1 label says; an empty result when it is not a GS1 label."""
    # Receiving has no station set up, so without a substitute the usual ones are tried.
    scan = (
        scan_parse(text=text, gs_substitute=gs_substitute)
        if gs_substitute
        else scan_parse_lenient(text=text)
    )
    if scan.kind == ScanKind.TEXT:
        return SupplierLabel()
    label = SupplierLabel(
        gtin=scan.gtin, batch=scan.batch, expires_on=scan.expiry, quantity=scan.quantity
    )
    if label.gtin:
        label.item = Item.objects.filter(gtin__in=gtin_forms(label.gtin)).first()
    return label
