"""Where a trace starts: a lot code, a supplier lot, a GS1 barcode or URN, or an order."""

import re

from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.orders.models import SalesOrder, WorkOrder

_LGTIN = re.compile(r"^urn:epc:id:lgtin:(\d+)\.(\d+)\.(.+)$", re.IGNORECASE)


def gtin_from_lgtin(urn: str) -> tuple[str, str] | None:
    """(GTIN-14, lot) from an EPC LGTIN URN such as urn:epc:id:lgtin:0614141.011111.987."""
    match = _LGTIN.match(urn.strip())
    if match is None:
        return None
    company, item_ref, lot = match.groups()
    # The indicator digit leads the item reference in the URN but the GTIN-14.
    digits = item_ref[0] + company + item_ref[1:]
    if len(digits) != 13:
        return None
    from biip.checksums import gs1_standard_check_digit

    return digits + str(gs1_standard_check_digit(digits)), lot


def gs1_gtin_and_batch(text: str) -> tuple[str, str] | None:
    """(GTIN-14, batch) from a GS1 element string, HRI or Digital Link; None when it has neither."""
    from biip import ParseConfig, ParseError, parse
    from biip.gs1_messages import GS1Message

    try:
        if text.startswith("("):
            message: GS1Message | None = GS1Message.parse_hri(text)
        else:
            result = parse(text, config=ParseConfig(separator_chars=["\x1d", "|"]))
            message = result.gs1_message
            if message is None and result.gs1_digital_link_uri is not None:
                message = result.gs1_digital_link_uri.as_gs1_message()
    except ParseError:
        return None
    if message is None:
        return None
    gtin = message.element_strings.get(ai="01")
    batch = message.element_strings.get(ai="10")
    if gtin is None or batch is None:
        return None
    return gtin.value.zfill(14), batch.value


def trace_start_lot_ids(*, text: str) -> list[int]:
    """Resolve what a user typed or scanned to lot ids; refuse what matches nothing."""
    text = text.strip()
    ids = lot_ids_matching(text)
    if not ids:
        raise Refused(
            "trace_start_unknown",
            gettext(
                "Nothing matches %(text)s: not a lot code, supplier lot, GS1 barcode, "
                "work order or sales order."
            )
            % {"text": text},
        )
    return ids


def lot_ids_matching(text: str) -> list[int]:
    """Lot ids for a lot code, GS1 barcode or URN, supplier lot, work order or sales order."""
    if not text:
        return []
    by_code = list(Lot.objects.filter(code=text).values_list("id", flat=True))
    if by_code:
        return by_code
    gs1 = gtin_from_lgtin(text) if text.lower().startswith("urn:") else None
    if gs1 is None and (text[:1].isdigit() or text.startswith(("(", "]", "http"))):
        gs1 = gs1_gtin_and_batch(text)
    if gs1 is not None:
        gtin, batch = gs1
        return list(Lot.objects.filter(gtin=gtin, batch=batch).values_list("id", flat=True))
    by_supplier_lot = list(Lot.objects.filter(supplier_lot=text).values_list("id", flat=True))
    if by_supplier_lot:
        return by_supplier_lot
    work_order = WorkOrder.objects.filter(number=text).first()
    if work_order is not None:
        return list(Lot.objects.filter(work_order=work_order).values_list("id", flat=True))
    sales_order = SalesOrder.objects.filter(number=text).first()
    if sales_order is not None:
        return list(
            Event.objects.filter(sales_order=sales_order, kind=EventKind.SHIP)
            .values_list("lot_id", flat=True)
            .distinct()
        )
    return []
