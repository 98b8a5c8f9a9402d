"""What the lot page's graph reads from the trace JSON: names in the reader's language and
the unit of each link's quantity, beside the keys tools already read."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import SalesOrderFactory
from tracelot.items.models import Unit
from tracelot.ledger import services
from tracelot.trace.engine import Direction, lot_trace

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped_in_cases(dough_made, operator):
    """The dough's customer has a Chinese name too."""
    customer = dough_made["order"].customer
    customer.name_zh = "盒马鲜生"
    customer.save()
    return dough_made


def trace_json(client, code, language, direction="backward"):
    return client.get(
        reverse("lotpages:lot-trace-json", args=[code]),
        {"direction": direction},
        HTTP_ACCEPT_LANGUAGE=language,
    ).json()


@pytest.mark.parametrize(
    ("language", "item_name", "supplier_name", "customer_name"),
    [
        ("en", "Flour", "Wudefu Flour Mill", "Hema Fresh"),
        ("zh-hans", "面粉", "五得利面粉厂", "盒马鲜生"),
    ],
)
def test_the_trace_json_names_items_suppliers_and_customers_in_the_readers_language(
    client_as, shipped_in_cases, language, item_name, supplier_name, customer_name
):
    client = client_as("quality")
    trace = trace_json(client, shipped_in_cases["flour"].code, language, direction="forward")
    lots = {lot["code"]: lot for lot in trace["lots"]}
    flour_lot = lots[shipped_in_cases["flour"].code]
    assert flour_lot["item_display_name"] == item_name
    # the keys tools already read are kept as they were
    assert (flour_lot["item"], flour_lot["item_name"], flour_lot["item_name_zh"]) == (
        "FLOUR",
        "Flour",
        "面粉",
    )
    # an item without a Chinese name is named in English in both languages
    assert lots[shipped_in_cases["dough"].code]["item_display_name"] == "Dough"
    assert [s["display_name"] for s in trace["suppliers"]] == [supplier_name]
    assert [c["display_name"] for c in trace["customers"]] == [customer_name]
    assert trace["customers"][0]["name"] == "Hema Fresh"


@pytest.mark.parametrize(("language", "symbol"), [("en", "case"), ("zh-hans", "箱")])
def test_lots_and_shipments_write_their_unit_in_the_readers_language(
    site, operator, step, flour, receive, language, symbol
):
    from django.utils import translation

    cases = receive(flour, "48")
    cases.unit = Unit.CASE
    cases.save()
    services.lot_consume(step=step, lot=cases, quantity=Decimal(2), actor=operator, key="c")
    made = services.lot_produce(
        step=step, quantity=Decimal(1), actor=operator, key="p", over_bom_reason="trial"
    ).lot
    order = SalesOrderFactory(site=site, lines=[(step.output_item, 1)])
    services.lot_ship(lot=made, sales_order=order, quantity=Decimal(1), actor=operator, key="s")
    with translation.override(language):
        trace = lot_trace(lot_ids=[cases.pk], direction=Direction.FORWARD).as_json()
    units = {lot["code"]: (lot["unit"], lot["unit_symbol"]) for lot in trace["lots"]}
    # an edge's quantity is in the unit of its input lot
    assert [(e["from"], e["quantity"]) for e in trace["edges"]] == [(cases.code, "2")]
    assert units[cases.code] == ("case", symbol)
    assert [(s["quantity"], s["unit"], s["unit_symbol"]) for s in trace["shipments"]] == [
        ("1", "kg", "kg")
    ]
