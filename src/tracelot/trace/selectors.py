"""Where a trace starts: a lot code, a supplier lot, a GS1 barcode or URN, or an order."""

from django.db.models import Q
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.gs1.scan import gtin_forms, scan_parse_lenient
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.orders.models import SalesOrder, WorkOrder


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
    text = text.strip()
    if not text:
        return []
    by_code = list(Lot.objects.filter(code=text).values_list("id", flat=True))
    if by_code:
        return by_code
    # A search box has no station behind it, so the scanner's GS substitute is guessed.
    scan = scan_parse_lenient(text=text)
    if scan.gtin and scan.batch:
        return _lot_ids_for_gs1(gtin=scan.gtin, batch=scan.batch)
    if scan.symbology:
        # A QR or DataMatrix holding plain text: the text is what follows the identifier.
        return lot_ids_matching(scan.text)
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


def _lot_ids_for_gs1(*, gtin: str, batch: str) -> list[int]:
    ids = list(Lot.objects.filter(gtin=gtin, batch=batch).values_list("id", flat=True))
    if ids:
        return ids
    # A supplier's own GS1 label: its batch is the supplier lot, its GTIN the item's.
    return list(
        Lot.objects.filter(supplier_lot=batch)
        .filter(Q(gtin=gtin) | Q(item__gtin__in=gtin_forms(gtin)))
        .values_list("id", flat=True)
    )
