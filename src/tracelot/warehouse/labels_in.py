"""Reading a supplier's label: GS1 GTIN, batch, expiry and quantity, to fill in a receipt."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from biip import ParseConfig, ParseError, parse
from biip.gs1_messages import GS1Message

from tracelot.items.models import Item

# AIM symbology identifiers a scanner may put before the data (]d2 DataMatrix, ]C1 GS1-128,
# ]Q3 QR, ]e0 DataBar); biip takes them too, but a keyboard wedge may mangle the bracket.
GS = "\x1d"


@dataclass
class SupplierLabel:
    gtin: str = ""
    batch: str = ""
    expires_on: date | None = None
    quantity: Decimal | None = None
    item: Item | None = None


def supplier_label_read(*, text: str, gs_substitute: str = "") -> SupplierLabel:
    """What a supplier's GS1 label says; an empty result when it is not a GS1 label."""
    text = text.strip()
    if gs_substitute:
        text = text.replace(gs_substitute, GS)
    try:
        if text.startswith("("):
            message: GS1Message | None = GS1Message.parse_hri(text)
        else:
            result = parse(text, config=ParseConfig(separator_chars=[GS, "|"]))
            message = result.gs1_message
            if message is None and result.gs1_digital_link_uri is not None:
                message = result.gs1_digital_link_uri.as_gs1_message()
    except ParseError:
        return SupplierLabel()
    if message is None:
        return SupplierLabel()
    label = SupplierLabel()
    for element in message.element_strings:
        ai = element.ai.ai
        if ai == "01":
            label.gtin = element.value.zfill(14)
        elif ai == "10":
            label.batch = element.value
        elif ai == "17" and element.date is not None:
            label.expires_on = element.date
        elif ai == "30":
            label.quantity = Decimal(element.value)
        elif ai.startswith("310") and element.decimal is not None:  # net weight, kg
            label.quantity = Decimal(element.decimal)
    if label.gtin:
        label.item = Item.objects.filter(gtin__in=[label.gtin, label.gtin.lstrip("0")]).first()
    return label
