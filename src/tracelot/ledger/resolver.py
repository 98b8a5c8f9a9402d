"""Which lots a scanned or typed text names: the one answer for every door.

Each caller states the forms it accepts and how to choose among several lots:
- the station and shipping accept our lot code, a GS1 label (ours, or a supplier's whose
  batch is their lot number) and a supplier's lot number, and need exactly one lot;
- a trace, the lot search and the command line accept every form, work and sales orders
  too, and take every lot named.
A work-order number typed at the shipping desk is therefore not a lot: it is refused with
what it is, instead of resolving to that order's only lot.

Forms are tried in a fixed order (our code, GS1, supplier lot, work order, sales order) and
the first that names any lot answers. Every lookup runs inside `sites`, the caller's door
(the sites of the signed-in user, accounts.selectors.user_site_ids, or the one site of a
station or an order; None on the command line), so no door names a lot its user may not see.
"""

from collections.abc import Collection
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.core.text import quoted
from tracelot.gs1.scan import Scan, gtin_forms
from tracelot.ledger.kinds import kinds_where
from tracelot.ledger.models import Event
from tracelot.lots.models import Lot
from tracelot.orders.models import SalesOrder, WorkOrder

TO_CUSTOMER_KINDS = kinds_where(lambda spec: spec.to_customer)
MANY = 20  # the most lots an ambiguous scan lists


class Form(StrEnum):
    CODE = "code"  # our lot code
    GS1 = "gs1"  # GTIN + batch of our label: element string, HRI, Digital Link, LGTIN URN
    SUPPLIER_LOT = "supplier_lot"  # the supplier's lot number, bare or in their GS1 label
    WORK_ORDER = "work_order"  # every lot a work order made
    SALES_ORDER = "sales_order"  # every lot shipped on a sales order


ONE_LOT = frozenset({Form.CODE, Form.GS1, Form.SUPPLIER_LOT})
EVERY_FORM = frozenset(Form)


Sites = Collection[int] | None


def _lots(sites: Sites) -> QuerySet[Lot]:
    return Lot.objects.all() if sites is None else Lot.objects.filter(site_id__in=list(sites))


def lot_ids_named(*, scan: Scan, forms: frozenset[Form], sites: Sites) -> list[int]:
    """Ids of the lots `scan` names in the first of `forms` that names any; [] for none."""
    return _named(scan, forms, _lots(sites))[1]


def lot_ids_named_or_refused(*, scan: Scan, forms: frozenset[Form], sites: Sites) -> list[int]:
    """As `lot_ids_named`, but a scan that names nothing is refused saying so."""
    ids = lot_ids_named(scan=scan, forms=forms, sites=sites)
    if not ids:
        raise _nothing_named(scan, forms, sites)
    return ids


def lot_named(*, scan: Scan, forms: frozenset[Form], sites: Sites) -> Lot:
    """The one lot `scan` names; refuse none, several, or an order where a lot is asked for.

    Several lots under one supplier lot (received twice, or split here) are narrowed to the
    only one still in stock, if there is such a one.
    """
    lots = _lots(sites)
    form, ids = _named(scan, forms, lots)
    if not ids:
        raise _nothing_named(scan, forms, sites)
    found = list(lots.filter(pk__in=ids).select_related("item").order_by("code")[:MANY])
    if len(found) > 1 and form == Form.SUPPLIER_LOT:
        in_stock = [lot for lot in found if lot.quantity_on_hand > 0]
        found = in_stock if len(in_stock) == 1 else found
    if len(found) == 1:
        return found[0]
    codes = ", ".join(lot.code for lot in found)
    if form == Form.SUPPLIER_LOT:
        message = gettext(
            "Supplier lot %(supplier_lot)s is in several lots: %(codes)s. Scan our label."
        ) % {"supplier_lot": scan.batch or _shown(scan), "codes": codes}
    else:
        message = gettext("%(text)s names %(count)s lots: %(codes)s. Scan our label.") % {
            "text": _shown(scan),
            "count": len(ids),
            "codes": codes,
        }
    raise Refused("lot_ambiguous", message)


def _named(
    scan: Scan, forms: frozenset[Form], lots: QuerySet[Lot]
) -> tuple[Form | None, list[int]]:
    text = scan.text.strip()
    if "\x00" in text or "\x00" in scan.batch:
        return None, []  # no code holds a NUL, and PostgreSQL cannot even compare one
    for form in Form:
        if form not in forms:
            continue
        matching = _matching(form, scan, text, lots)
        if matching is not None:
            ids = list(matching.values_list("pk", flat=True).distinct())
            if ids:
                return form, ids
    return None, []


def _matching(form: Form, scan: Scan, text: str, lots: QuerySet[Lot]) -> QuerySet[Lot] | None:
    """The lots `form` finds for the scan, or None when the scan cannot be in that form."""
    if form == Form.CODE:
        return lots.filter(code=text) if text else None
    if form == Form.GS1:
        if not (scan.gtin and scan.batch):
            return None
        return lots.filter(gtin__in=gtin_forms(scan.gtin), batch=scan.batch)
    if form == Form.SUPPLIER_LOT:
        if scan.gtin and scan.batch:
            # A supplier's GS1 label: its batch is their lot number, its GTIN our item's, unless
            # we keep no GTIN for the item (then nothing contradicts the label).
            forms = gtin_forms(scan.gtin)
            same_item = Q(gtin__in=forms) | Q(item__gtin__in=forms) | Q(gtin="", item__gtin="")
            return lots.filter(same_item, supplier_lot=scan.batch)
        return lots.filter(supplier_lot=text) if text and not scan.gtin else None
    if form == Form.WORK_ORDER:
        return lots.filter(work_order__number=text) if text else None
    if not text:
        return None
    shipped = Event.objects.filter(sales_order__number=text, kind__in=TO_CUSTOMER_KINDS)
    return lots.filter(pk__in=shipped.values("lot_id"))


def _nothing_named(scan: Scan, forms: frozenset[Form], sites: Sites) -> Refused:
    text = scan.text.strip()
    scope = Q() if sites is None else Q(site_id__in=list(sites))
    orders = (
        (Form.WORK_ORDER, WorkOrder, gettext("%(text)s is a work order, not a lot: scan the lot's label.")),
        (Form.SALES_ORDER, SalesOrder, gettext("%(text)s is a sales order, not a lot: scan the lot's label.")),
    )  # fmt: skip
    for form, model, message in orders:
        if (
            text
            and "\x00" not in text
            and form not in forms
            and model.objects.filter(scope, number=text).exists()
        ):
            return Refused("not_a_lot", message % {"text": quoted(text)})
    if forms == EVERY_FORM:
        return Refused(
            "lot_unknown",
            gettext(
                "Nothing matches %(text)s: not a lot code, supplier lot, GS1 barcode, "
                "work order or sales order."
            )
            % {"text": _shown(scan)},
        )
    return Refused("lot_unknown", gettext("No lot matches %(text)s.") % {"text": _shown(scan)})


def _shown(scan: Scan) -> str:
    """What was scanned, as a refusal quotes it: 80 characters at most, controls visible."""
    return quoted(scan.text.strip() or scan.raw.strip())
