"""The lot a station scan names: our code, GTIN + batch, or the supplier's lot number."""

from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.gs1.scan import Scan
from tracelot.lots.models import Lot


def scan_resolve_lot(*, scan: Scan) -> Lot:
    """The one lot a scan names: by our code, by GTIN + batch, then by the supplier's lot."""
    lots = Lot.objects.select_related("item")
    if scan.text:
        lot = lots.filter(code=scan.text).first()
        if lot is not None:
            return lot
    if scan.gtin and scan.batch:
        lot = lots.filter(gtin=scan.gtin, batch=scan.batch).first()
        if lot is not None:
            return lot
    # A supplier's GS1 label carries its lot number in (10); a plain scan is the number itself.
    supplier_lot = scan.batch or scan.text
    candidates = (
        list(lots.filter(supplier_lot=supplier_lot).order_by("code")[:20]) if supplier_lot else []
    )
    if len(candidates) > 1 and scan.gtin:
        same_product = [
            lot for lot in candidates if scan.gtin in (lot.gtin, lot.item.gtin.zfill(14))
        ]
        candidates = same_product or candidates
    if len(candidates) > 1:
        # A supplier lot received twice or split here: if only one still has stock, that is it.
        in_stock = [lot for lot in candidates if lot.quantity_on_hand > 0]
        candidates = in_stock if len(in_stock) == 1 else candidates
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise Refused(
            "lot_ambiguous",
            gettext("Supplier lot %(supplier_lot)s is in several lots: %(codes)s. Scan our label.")
            % {"supplier_lot": supplier_lot, "codes": ", ".join(lot.code for lot in candidates)},
        )
    raise Refused(
        "lot_unknown",
        gettext("No lot matches %(text)s.") % {"text": scan.text or scan.raw.strip()},
    )
