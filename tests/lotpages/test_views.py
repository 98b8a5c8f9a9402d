"""Lot search and the lot page, as a quality manager and an auditor use them."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import LotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality_client(client_as):
    return client_as("quality")


def search(client, **params):
    return client.get(reverse("lotpages:lot-search"), params)


def test_a_supplier_lot_finds_its_lot(quality_client, dough_made):
    flour = dough_made["flour"]
    body = search(quality_client, text=flour.supplier_lot).content.decode()
    assert flour.code in body
    assert dough_made["dough"].code not in body


def test_a_scanned_gs1_barcode_finds_its_lot(quality_client, dough_made):
    flour = dough_made["flour"]
    flour.gtin = "06901234000122"
    flour.save()
    body = search(quality_client, text=f"]d20106901234000122\x1d10{flour.batch}").content.decode()
    assert flour.code in body


def test_a_wedge_scan_with_a_substitute_for_the_separator_finds_its_lot(quality_client, dough_made):
    flour = dough_made["flour"]
    flour.gtin = "06901234000122"
    flour.save()
    body = search(quality_client, text=f"]d20106901234000122^10{flour.batch}^17270131")
    assert flour.code in body.content.decode()
    assert dough_made["dough"].code not in body.content.decode()


@pytest.mark.parametrize(
    ("field", "value_of", "expected"),
    [
        ("status", lambda m: "shipped", "dough"),
        ("work_order", lambda m: m["dough"].work_order.number, "dough"),
        ("sales_order", lambda m: m["order"].number, "dough"),
        ("customer", lambda m: m["order"].customer.code, "dough"),
        ("supplier", lambda m: m["flour"].supplier.code, "flour"),
        ("item", lambda m: "PORK", "pork"),
    ],
)
def test_each_filter_narrows_the_list(quality_client, dough_made, field, value_of, expected):
    body = search(quality_client, **{field: value_of(dough_made)}).content.decode()
    assert dough_made[expected].code in body
    others = {"flour", "pork", "dough"} - {expected}
    if field != "supplier":
        assert all(dough_made[name].code not in body for name in others)


def test_the_list_sorts_and_keeps_its_query_count(
    quality_client, dough_made, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        body = search(quality_client, sort="-code").content.decode()
    codes = [dough_made[n].code for n in ("flour", "pork", "dough")]
    positions = sorted(codes, reverse=True)
    assert body.index(positions[0]) < body.index(positions[-1])


def test_the_list_exports_as_csv_and_xlsx(quality_client, dough_made):
    csv_text = b"".join(search(quality_client, export="csv").streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Lot,Item,GTIN")
    assert dough_made["flour"].code in csv_text
    workbook = load_workbook(io.BytesIO(search(quality_client, export="xlsx").content))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Lot"
    assert {row[0] for row in rows[1:]} == {dough_made[n].code for n in ("flour", "pork", "dough")}


def test_the_csv_headers_follow_the_users_language(quality_client, dough_made):
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    first = next(iter(search(quality_client, export="csv").streaming_content)).decode("utf-8-sig")
    assert first.startswith("批次")


def test_the_lot_page_shows_its_timeline_and_its_genealogy(quality_client, dough_made):
    dough = dough_made["dough"]
    body = quality_client.get(reverse("lotpages:lot-detail", args=[dough.code])).content.decode()
    assert "Zhang Min" in body  # the step's responsible person in the timeline
    assert reverse("lotpages:lot-trace", args=[dough.code]) in body  # loaded after the page
    trace = quality_client.get(reverse("lotpages:lot-trace", args=[dough.code])).content.decode()
    assert dough_made["flour"].code in trace  # backward trace table
    forward = quality_client.get(
        reverse("lotpages:lot-trace", args=[dough_made["flour"].code]), {"direction": "forward"}
    ).content.decode()
    assert "Hema Fresh" in forward


def test_the_trace_table_reads_in_the_readers_language(quality_client, dough_made):
    customer = dough_made["order"].customer
    customer.name_zh = "盒马鲜生"
    customer.save()
    dough_made["flour"].supplier.name_zh = "五得利面粉厂"
    dough_made["flour"].supplier.save()
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    url = reverse("lotpages:lot-trace", args=[dough_made["flour"].code])
    body = quality_client.get(url, {"direction": "forward"}).content.decode()
    assert "面粉" in body  # item names, not codes
    assert ">FLOUR<" not in body
    assert "盒马鲜生（GLN 6901234000017）：1 个批次" in body  # noqa: RUF001
    backward = reverse("lotpages:lot-trace", args=[dough_made["dough"].code])
    body = quality_client.get(backward).content.decode()
    assert "五得利面粉厂（GLN" in body  # noqa: RUF001
    assert ">92 kg<" in body  # flour left, as people read it
    assert "92.0000" not in body


def test_the_trace_downloads_as_xlsx_and_json(quality_client, dough_made):
    code = dough_made["flour"].code
    response = quality_client.get(
        reverse("lotpages:lot-trace-xlsx", args=[code]), {"direction": "forward"}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Lots", "Links", "Shipments", "Events"]
    assert workbook["Shipments"]["F2"].value == "Hema Fresh"
    trace = quality_client.get(
        reverse("lotpages:lot-trace-json", args=[code]), {"direction": "forward"}
    ).json()
    assert trace["customers"][0]["name"] == "Hema Fresh"


def test_a_user_without_the_view_permission_is_refused(client, django_user_model, dough_made):
    client.force_login(django_user_model.objects.create_user(username="nobody"))
    assert search(client).status_code == 403
    assert (
        client.get(reverse("lotpages:lot-detail", args=[dough_made["dough"].code])).status_code
        == 403
    )


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = search(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_lot_is_404(quality_client):
    assert quality_client.get(reverse("lotpages:lot-detail", args=["NOPE"])).status_code == 404


def test_the_lot_page_shows_qc_results_and_label_links(quality_client, dough_made, operator):
    from tracelot.ledger import services

    flour = dough_made["flour"]
    services.lot_inspect(
        lot=flour, characteristic="moisture", passed=False, value="15.2", actor=operator, key="qc"
    )
    body = quality_client.get(reverse("lotpages:lot-detail", args=[flour.code])).content.decode()
    assert "moisture" in body
    assert "15.2" in body
    assert reverse("labels:lot-label-pdf", args=[flour.code]) in body
    assert reverse("quality:inspection-new", args=[flour.code]) in body


@pytest.mark.django_db
def test_quantities_on_pages_are_grouped_without_trailing_zeros(client_as, flour, receive):
    # 2,947.2 kg, not 2947.2000 kg: one formatting of quantities (items.models.amount).
    lot = receive(flour, "2947.2")
    body = client_as("auditor").get(f"/lots/{lot.code}/").content.decode()
    assert "2,947.2 kg" in body
    assert "2947.2000" not in body


def test_the_list_pages_without_counting_every_match(
    quality_client, site, django_assert_max_num_queries
):
    """A list page reads one row beyond itself to know there is a next: no COUNT of every
    matching lot, which costs as much as reading them all at ten million lots."""
    LotFactory.create_batch(55, site=site)
    with CaptureQueriesContext(connection) as queries:
        first = search(quality_client, sort="code").content.decode()
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert "Lots 1\N{EN DASH}50" in first
    assert "page=2" in first
    assert "page=0" not in first
    second = search(quality_client, sort="code", page="2").content.decode()
    assert "Lots 51\N{EN DASH}55" in second
    assert "page=1" in second
    assert "page=3" not in second
    assert "LOT" in second
    beyond = search(quality_client, sort="code", page="999").content.decode()
    assert "No lot matches." in beyond
    garbage = search(quality_client, sort="code", page="-1'").content.decode()
    assert "Lots 1\N{EN DASH}50" in garbage
    chinese = quality_client.get(
        reverse("lotpages:lot-search"), {"page": "2"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "第 2 页" in chinese


@pytest.mark.parametrize(
    ("text", "finds"),
    [
        ("猪肉", {"pork"}),
        ("pork", {"pork"}),
        ("五得利", {"flour", "pork"}),  # the supplier, in Chinese
        ("hema", {"dough"}),  # the customer it was shipped to
    ],
)
def test_the_text_box_finds_lots_by_item_supplier_and_customer_names(
    quality_client, dough_made, text, finds
):
    body = search(quality_client, text=text).content.decode()
    for name in ("flour", "pork", "dough"):
        assert (dough_made[name].code in body) == (name in finds), (text, name)


def test_items_suppliers_and_customers_are_picked_from_lists(quality_client, dough_made):
    body = quality_client.get(reverse("lotpages:lot-search")).content.decode()
    assert '<select name="item"' in body
    assert '<option value="PORK">PORK Pork</option>' in body
    assert '<select name="supplier"' in body
    assert '<select name="customer"' in body


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_trace_spreadsheet_is_a_spreadsheet_in_the_readers_language(
    quality_client, dough_made, language
):
    from datetime import datetime

    from django.utils import timezone

    quality_client.post(reverse("accounts:language"), {"language": language})
    code = dough_made["flour"].code
    response = quality_client.get(
        reverse("lotpages:lot-trace-xlsx", args=[code]), {"direction": "forward"}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    lots, shipments, events = workbook.worksheets[0], workbook.worksheets[2], workbook.worksheets[3]
    assert lots.freeze_panes == "A2"
    assert lots.auto_filter.ref.startswith("A1:H")
    assert lots.column_dimensions["A"].width > 10
    assert isinstance(lots["E2"].value, (int, float))  # on hand, a number
    shipped = shipments["D2"].value
    assert isinstance(shipped, datetime)
    plant_now = timezone.localtime().replace(tzinfo=None)
    assert abs((plant_now - shipped).total_seconds()) < 3600  # plant time, not UTC
    statuses = {row[6].value for row in lots.iter_rows(min_row=2)}
    kinds = {row[0].value for row in events.iter_rows(min_row=2)}
    if language == "zh-hans":
        assert shipments["F2"].value == "Hema Fresh"  # no Chinese name: the English one
        assert statuses <= {"待检", "已放行", "已暂扣", "已消耗", "已发货", "已报废"}
        assert "发货" in kinds
        names = {row[0].value: row[1].value for row in lots.iter_rows(min_row=2)}
        assert names[code] == "面粉"
    else:
        assert statuses <= {"quarantine", "released", "on hold", "consumed", "shipped", "scrapped"}
        assert "ship" in kinds


def test_the_links_sheet_splits_an_input_over_the_lots_its_step_made(
    quality_client, step, flour, pork, receive, operator
):
    """400 kg of flour and 100 kg of pork make 300 kg and 200 kg of dough in one step: the
    flour lot's links give 240 and 160 kg, adding up to the 400 kg it gave, not 800."""
    from decimal import Decimal

    from tracelot.ledger import services

    flour_lot, pork_lot = receive(flour, "400"), receive(pork, "100")
    for lot, quantity, key in ((flour_lot, 400, "c1"), (pork_lot, 100, "c2")):
        services.lot_consume(
            step=step, lot=lot, quantity=Decimal(quantity), actor=operator, key=key
        )
    for quantity, key in ((300, "p1"), (200, "p2")):
        services.lot_produce(step=step, quantity=Decimal(quantity), actor=operator, key=key)
    response = quality_client.get(
        reverse("lotpages:lot-trace-xlsx", args=[flour_lot.code]), {"direction": "forward"}
    )
    links = load_workbook(io.BytesIO(response.content))["Links"]
    rows = [[cell.value for cell in row] for row in links.iter_rows(min_row=2)]
    assert sorted(row[2:] for row in rows) == [[400, 160], [400, 240]]
    assert sum(row[3] for row in rows) == 400
