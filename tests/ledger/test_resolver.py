"""One answer to "which lot does this scan name?": each door states the forms it accepts."""

# ruff: noqa: RUF001 - Chinese messages are written with full-width punctuation

import pytest

from tests.factories import SiteFactory, SupplierFactory
from tracelot.core.errors import Refused
from tracelot.gs1.scan import scan_parse, scan_parse_lenient
from tracelot.ledger import services
from tracelot.ledger.resolver import EVERY_FORM, ONE_LOT, Form, lot_ids_named, lot_named

pytestmark = pytest.mark.django_db


def one(text, *, sites=None, gs_substitute=None):
    scan = scan_parse(text=text, gs_substitute=gs_substitute)
    return lot_named(scan=scan, forms=ONE_LOT, sites=sites)


def every(text, *, sites=None):
    return lot_ids_named(scan=scan_parse_lenient(text=text), forms=EVERY_FORM, sites=sites)


def test_a_lot_is_named_by_our_code(flour, receive):
    lot = receive(flour)
    assert one(lot.code) == lot


def test_a_lot_is_named_by_gtin_and_batch_however_the_gtin_is_kept(flour, receive):
    lot = receive(flour)
    lot.gtin = "6901234000122"  # kept as printed: 13 digits; a scan always gives 14
    lot.save()
    assert one(f"]d20106901234000122^10{lot.batch}", gs_substitute="^") == lot


def test_a_lot_is_named_by_the_suppliers_lot_plain_or_in_their_gs1_label(flour, receive):
    lot = receive(flour)
    assert one(lot.supplier_lot) == lot
    assert one(f"010950110153000310{lot.supplier_lot}") == lot  # we keep no GTIN for flour


def test_a_supplier_label_of_another_product_does_not_name_our_lot(flour, receive, english):
    lot = receive(flour)
    flour.gtin = "6901234000122"
    flour.save()
    with pytest.raises(Refused) as refused:
        one(f"010950110153000310{lot.supplier_lot}")
    assert refused.value.code == "lot_unknown"


def test_a_supplier_lot_in_several_lots_names_the_only_one_in_stock(flour, receive, step, operator):
    from decimal import Decimal

    first, second = receive(flour, "5"), receive(flour)
    second.supplier_lot = first.supplier_lot
    second.save()
    services.lot_consume(step=step, lot=first, quantity=Decimal(5), actor=operator, key="c")
    assert one(first.supplier_lot) == second


def test_a_supplier_lot_in_several_lots_in_stock_is_refused_naming_them(flour, receive):
    first, second = receive(flour), receive(flour)
    second.supplier_lot = first.supplier_lot
    second.save()
    with pytest.raises(Refused) as refused:
        one(first.supplier_lot)
    assert refused.value.code == "lot_ambiguous"
    assert first.code in refused.value.message
    assert second.code in refused.value.message


@pytest.mark.parametrize(("language", "message"), [("en", "No lot matches NOPE-1."),
                                                   ("zh-hans", "没有批次匹配 NOPE-1。")])  # fmt: skip
def test_an_unknown_scan_is_refused_in_the_users_language(language, message):
    from django.utils import translation

    with translation.override(language), pytest.raises(Refused) as refused:
        one("NOPE-1")
    assert (refused.value.code, refused.value.message) == ("lot_unknown", message)


def test_an_empty_scan_names_no_lot_even_where_lots_have_no_supplier_lot(dough_made):
    with pytest.raises(Refused) as refused:
        one(" \r\n")
    assert refused.value.code == "lot_unknown"


def test_a_work_order_number_where_one_lot_is_asked_for_is_refused_as_a_work_order(
    dough_made, english
):
    number = dough_made["dough"].work_order.number
    with pytest.raises(Refused) as refused:
        one(number)
    assert refused.value.code == "not_a_lot"
    assert refused.value.message == f"{number} is a work order, not a lot: scan the lot's label."


def test_a_sales_order_number_where_one_lot_is_asked_for_is_refused_as_a_sales_order(
    dough_made, chinese
):
    number = dough_made["order"].number
    with pytest.raises(Refused) as refused:
        one(number)
    assert refused.value.message == f"{number} 是销售订单号，不是批次：请扫描批次标签。"


def test_a_trace_accepts_every_form_orders_included(dough_made):
    dough = dough_made["dough"]
    assert every(dough.work_order.number) == [dough.pk]
    assert every(dough_made["order"].number) == [dough.pk]
    assert every(dough_made["flour"].supplier_lot) == [dough_made["flour"].pk]


def test_forms_are_tried_in_order_and_the_first_that_names_a_lot_answers(flour, receive):
    # A supplier lot number that is also one of our codes names our lot.
    ours, theirs = receive(flour), receive(flour)
    theirs.supplier_lot = ours.code
    theirs.save()
    assert every(ours.code) == [ours.pk]
    assert lot_ids_named(
        scan=scan_parse(text=ours.code), forms=frozenset({Form.SUPPLIER_LOT}), sites=None
    ) == [theirs.pk]


def test_a_lot_of_another_site_is_not_named_at_this_sites_door(flour, operator):
    from decimal import Decimal

    elsewhere = SiteFactory(code="S2", name="Plant Two")
    lot = services.lot_receive(
        site=elsewhere, item=flour, quantity=Decimal(1), supplier=SupplierFactory(),
        supplier_lot="X-1", actor=operator, key="r",
    ).lot  # fmt: skip
    here = operator.site_id
    with pytest.raises(Refused) as refused:
        one(lot.code, sites={here})
    assert refused.value.code == "lot_unknown"
    assert every(lot.code, sites=frozenset({here})) == []
    assert one(lot.code, sites={elsewhere.pk}) == lot
