"""Lot search: by codes, items, orders, line, shift, operator, partners, status and dates."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from tracelot.items.models import Item
from tracelot.ledger.kinds import kinds_where
from tracelot.ledger.models import Event
from tracelot.lots.models import Lot
from tracelot.lots.selectors import lot_list_for_user, lots_expired_on_hand, lots_starting_with
from tracelot.partners.models import Customer, Supplier
from tracelot.plants.selectors import user_site_ids
from tracelot.trace.selectors import lot_ids_matching

ORIGIN_KINDS = kinds_where(lambda spec: spec.origin)
TO_CUSTOMER_KINDS = kinds_where(lambda spec: spec.to_customer)
# Columns a user may sort by (URL value → ORM ordering).
SORTS = {
    "code": "code",
    "item": "item__code",
    "status": "status",
    "quantity": "quantity_on_hand",
    "produced": "produced_on",
    "received": "received_on",
    "expires": "expires_on",
    "created": "pk",  # lots are numbered as they are made; the primary key is indexed
}


@dataclass
class LotFilters:
    text: str = ""  # a lot code, supplier lot, any scanned barcode, or a name
    item: str = ""
    purchase_order: str = ""
    work_order: str = ""
    sales_order: str = ""
    line: str = ""
    shift: str = ""
    operator: str = ""
    supplier: str = ""
    customer: str = ""
    status: str = ""
    expired: bool = False  # past its expiry date with something still on hand
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-created"


def _made_by(operator_code: str) -> Exists:
    return Exists(
        Event.objects.filter(
            lot=OuterRef("pk"),
            kind__in=ORIGIN_KINDS,
            actor__code=operator_code,
        )
    )


def _shipped(**condition: object) -> Exists:
    return Exists(Event.objects.filter(lot=OuterRef("pk"), kind__in=TO_CUSTOMER_KINDS, **condition))


def _named(text: str, *, customers_too: bool) -> Q:
    """Lots whose item, supplier or customer is named `text` in either language (a part of
    the name will do: "猪肉" or "pork"). Master data is small; each list is read once."""
    by_name = Q(name__icontains=text) | Q(name_zh__icontains=text)
    items = list(Item.objects.filter(by_name).values_list("pk", flat=True))
    suppliers = list(Supplier.objects.filter(by_name).values_list("pk", flat=True))
    customers = (
        list(Customer.objects.filter(by_name).values_list("pk", flat=True)) if customers_too else []
    )
    named = Q(pk__in=[])
    if items:
        named |= Q(item__in=items)
    if suppliers:
        named |= Q(supplier__in=suppliers)
    if customers:
        named |= Q(_shipped(sales_order__customer__in=customers))
    return named


def lot_search(*, user: Any, filters: LotFilters) -> QuerySet[Lot]:
    """The lots `user` may see matching every filter given, sorted; the text box also takes
    scanned barcodes (any form the resolver knows), else the start of a code or supplier lot."""
    lots = lot_list_for_user(user=user).select_related("item", "supplier", "work_order", "location")
    f = filters
    if f.text:
        text = f.text.strip()
        ids = lot_ids_matching(text, site_ids=user_site_ids(user=user))
        if ids:
            lots = lots.filter(pk__in=ids)
        else:
            prefix = lots_starting_with(Lot.objects.all(), text=text).values("pk")
            customers_too = user.has_perm("partners.view_customer")
            lots = lots.filter(Q(pk__in=prefix) | _named(text, customers_too=customers_too))
    simple = {
        "item__code": f.item,
        "purchase_order__number": f.purchase_order,
        "work_order__number": f.work_order,
        "work_order__line__code": f.line,
        "work_order__shift__code": f.shift,
        "supplier__code": f.supplier,
        "status": f.status,
    }
    lots = lots.filter(**{field: value for field, value in simple.items() if value})
    if f.operator:
        lots = lots.filter(_made_by(f.operator))
    if f.sales_order:
        lots = lots.filter(_shipped(sales_order__number=f.sales_order))
    if f.customer and user.has_perm("partners.view_customer"):
        lots = lots.filter(_shipped(sales_order__customer__code=f.customer))
    if f.expired:
        lots = lots_expired_on_hand(lots)
    if f.date_from:
        lots = lots.filter(Q(produced_on__gte=f.date_from) | Q(received_on__gte=f.date_from))
    if f.date_to:
        lots = lots.filter(Q(produced_on__lte=f.date_to) | Q(received_on__lte=f.date_to))
    field = SORTS.get(f.sort.lstrip("-"), "pk")
    descending = f.sort.startswith("-")
    return lots.order_by(("-" if descending else "") + field, "-pk" if descending else "pk")
