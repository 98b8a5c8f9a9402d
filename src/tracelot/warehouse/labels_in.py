"""Reading a supplier's label: GS1 GTIN, batch, expiry and quantity, to fill in a receipt."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from tracelot.core.text import quoted
from tracelot.gs1.scan import ScanKind, gtin_forms, scan_parse, scan_parse_lenient
from tracelot.items.models import Item


@dataclass
class SupplierLabel:
    gtin: str = ""
    batch: str = ""
    expires_on: date | None = None
    quantity: Decimal | None = None
    item: Item | None = None
    problem: str = ""  # why the label filled in nothing (or no item), in the user's language


def supplier_label_read(*, text: str, gs_substitute: str = "") -> SupplierLabel:
    """What a supplier's GS1 label says; an empty result when it is not a GS1 label."""
    # Receiving has no station set up, so without a substitute the usual ones are tried.
    scan = (
        scan_parse(text=text, gs_substitute=gs_substitute)
        if gs_substitute
        else scan_parse_lenient(text=text)
    )
    if scan.kind == ScanKind.TEXT:
        if not text.strip():
            return SupplierLabel()
        return SupplierLabel(
            problem=gettext(
                "%(text)s is not a GS1 label this page can read: type the fields below."
            )
            % {"text": quoted(text.strip())}
        )
    label = SupplierLabel(
        gtin=scan.gtin, batch=scan.batch, expires_on=scan.expiry, quantity=scan.quantity
    )
    if label.gtin:
        label.item = Item.objects.filter(gtin__in=gtin_forms(label.gtin)).first()
        if label.item is None:
            label.problem = gettext(
                "No item has GTIN %(gtin)s: choose the item below, and give it its GTIN in "
                "master data."
            ) % {"gtin": label.gtin}
    return label
