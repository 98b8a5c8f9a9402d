"""The genealogy graph on the lot page reads at a glance: left to right from supplier to
customer, item names on the lots, quantities on the links, many lots of one material as one
group that opens when tapped, on a desk screen and a phone."""

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tracelot.items.models import ItemKind
from tracelot.ledger import services

pytestmark = pytest.mark.usefixtures("flushable_ledger")

FLOUR_LOTS = 20
PHONE = {"width": 375, "height": 740}
NAMES = {
    "en": {
        "flour": "Flour",
        "noodles": "Fresh noodles",
        "supplier": "Wudefu Flour Mill",
        "customer": "Hema Fresh",
        "group": "20 lots of Flour",
    },
    "zh-hans": {
        "flour": "面粉",
        "noodles": "鲜面条",
        "supplier": "五得利面粉厂",
        "customer": "盒马鲜生",
        "group": "面粉",
    },
}


@pytest.fixture
def noodles_made(site, flour, receive, operator, quality_manager, sales_order):
    """Twenty lots of flour, 5 kg each, consumed into one step that made 100 kg of fresh
    noodles, shipped to Hema Fresh."""
    from tests.factories import BomLineFactory, ItemFactory, WorkOrderStepFactory

    noodles = ItemFactory(
        code="NOODLES", name="Fresh noodles", name_zh="鲜面条", kind=ItemKind.FINISHED
    )
    BomLineFactory(parent=noodles, component=flour, quantity=Decimal(1))
    step = WorkOrderStepFactory(
        work_order__site=site,
        work_order__item=noodles,
        work_order__line__site=site,
        work_order__shift__site=site,
        output_item=noodles,
        responsible=quality_manager,
    )
    flour_lots = [receive(flour, "5") for _ in range(FLOUR_LOTS)]
    for n, lot in enumerate(flour_lots):
        services.lot_consume(step=step, lot=lot, quantity=Decimal(5), actor=operator, key=f"c{n}")
    made = services.lot_produce(step=step, quantity=Decimal(100), actor=operator, key="p").lot
    services.lot_release(lot=made, reason="final QC passed", actor=operator, key="r")
    order = sales_order(
        noodles, quantity=100, customer__name="Hema Fresh", customer__name_zh="盒马鲜生"
    )
    services.lot_ship(lot=made, sales_order=order, quantity=Decimal(100), actor=operator, key="s")
    return {"flour": flour_lots, "noodles": made}


def open_graph(page: Page, url: str, language: str) -> None:
    page.goto(url)
    if language != "en":
        page.select_option("#language", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#graph[data-state=drawn]")).to_have_count(1)
    page.locator("#graph").scroll_into_view_if_needed()


def nodes(page: Page) -> list[dict[str, Any]]:
    """The drawn nodes: id, kind, label, place in the graph and on the page."""
    return page.evaluate(
        """() => {
            const box = document.getElementById("graph");
            const frame = box.getBoundingClientRect();
            return box._cy.nodes().map((node) => ({
                id: node.id(),
                kind: node.data("kind"),
                label: node.data("label"),
                x: node.position("x"),
                page_x: frame.left + node.renderedPosition("x"),
                page_y: frame.top + node.renderedPosition("y"),
                width: node.renderedOuterWidth(),
            }));
        }"""
    )


def squeezed(text: str) -> str:
    """`text` without spaces and line breaks, as a wrapped label may break it."""
    return "".join(text.split())


def font_sizes(page: Page) -> list[float]:
    """The size of every label as drawn on the screen, in CSS pixels."""
    return page.evaluate(
        """() => document.getElementById("graph")._cy.elements()
            .map((element) => parseFloat(element.renderedStyle("font-size")))"""
    )


def overlapping_labels(page: Page) -> list[list[str]]:
    """Pairs of labels drawn over each other: node boxes and the quantities on the links."""
    return page.evaluate(
        """() => {
            const cy = document.getElementById("graph")._cy;
            const quantity = { includeNodes: false, includeEdges: false, includeMainLabels: false,
                includeSourceLabels: true, includeTargetLabels: false, includeOverlays: false };
            const boxes = [
                ...cy.nodes().map((node) => [node.id(), node.boundingBox({ includeOverlays: false })]),
                ...cy.edges("[label != '']").map((edge) => [edge.data("label"), edge.boundingBox(quantity)]),
            ];
            const over = (a, b) => Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 1
                && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 1;
            const pairs = [];
            boxes.forEach(([one, a], i) => boxes.slice(i + 1).forEach(([other, b]) => {
                if (over(a, b)) pairs.push([one, other]);
            }));
            return pairs;
        }"""
    )


def edge_labels(page: Page) -> list[str]:
    return page.evaluate(
        "() => document.getElementById('graph')._cy.edges().map((edge) => edge.data('label'))"
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_graph_reads_left_to_right_and_shows_twenty_lots_of_flour_as_one_group_that_opens(
    page: Page, live_server, sign_in, noodles_made, screenshot, language
):
    names = NAMES[language]
    sign_in("quality")
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    made = noodles_made["noodles"]
    open_graph(page, f"{live_server.url}/lots/{made.code}/", language)
    drawn = {node["kind"]: node for node in nodes(page)}
    assert set(drawn) == {"supplier", "group", "lot", "customer"}  # 20 flour lots: one node
    supplier, group, lot, customer = (drawn[k] for k in ("supplier", "group", "lot", "customer"))
    assert supplier["x"] < group["x"] < lot["x"] < customer["x"]
    assert "20" in group["label"]
    assert names["group"] in group["label"]
    # the item's name, then the lot code; never the item's code
    assert lot["label"] == f"{names['noodles']}\n{made.code}"
    assert squeezed(names["supplier"]) in squeezed(supplier["label"])
    assert squeezed(names["customer"]) in squeezed(customer["label"])
    assert "100 kg" in edge_labels(page)  # 20 lots of 5 kg of flour into the noodles
    assert min(font_sizes(page)) >= 11
    assert overlapping_labels(page) == []
    expect(page.locator(".graph-legend li")).to_have_count(4)
    screenshot(page, f"desktop-{language}")

    page.mouse.click(group["page_x"], group["page_y"])
    expect(page.locator("#graph[data-state=drawn]")).to_have_count(1)
    page.wait_for_function(
        "n => document.getElementById('graph')._cy.nodes('[kind = \"lot\"]').length === n",
        arg=FLOUR_LOTS + 1,
    )
    opened = nodes(page)
    assert not [node for node in opened if node["kind"] == "group"]
    flour = [node for node in opened if node["id"] in {lot.code for lot in noodles_made["flour"]}]
    assert len(flour) == FLOUR_LOTS
    assert {node["label"].split("\n")[0] for node in flour} == {names["flour"]}
    assert len({node["x"] for node in flour}) == 1  # one level
    assert edge_labels(page).count("5 kg") == FLOUR_LOTS
    assert overlapping_labels(page) == []
    screenshot(page, f"desktop-{language}-opened")
    assert csp_violations == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_phone_the_graph_fits_the_screen_and_a_tap_on_a_lot_opens_its_page(
    page: Page, live_server, sign_in, noodles_made, screenshot, language
):
    names = NAMES[language]
    sign_in("quality")
    page.set_viewport_size(PHONE)
    made = noodles_made["noodles"]
    open_graph(page, f"{live_server.url}/lots/{made.code}/", language)
    screenshot(page, f"phone-{language}")
    frame = page.locator("#graph").bounding_box()
    assert frame is not None
    assert frame["x"] >= 0
    assert frame["x"] + frame["width"] <= PHONE["width"]
    drawn = nodes(page)
    # every node is on the screen, and labels are drawn at a readable size
    for node in drawn:
        assert frame["x"] <= node["page_x"] - node["width"] / 2, node["id"]
        assert node["page_x"] + node["width"] / 2 <= frame["x"] + frame["width"], node["id"]
    assert min(font_sizes(page)) >= 9  # CSS pixels: a phone's small print
    lot = next(node for node in drawn if node["kind"] == "lot")
    assert squeezed(lot["label"]).startswith(squeezed(names["noodles"]))

    group = next(node for node in drawn if node["kind"] == "group")
    page.mouse.click(group["page_x"], group["page_y"])
    page.wait_for_function(
        "n => document.getElementById('graph')._cy.nodes('[kind = \"lot\"]').length === n",
        arg=FLOUR_LOTS + 1,
    )
    screenshot(page, f"phone-{language}-opened")
    assert overlapping_labels(page) == []
    codes = {lot.code for lot in noodles_made["flour"]}
    frame_bottom = frame["y"] + frame["height"]
    tappable = [
        node
        for node in nodes(page)
        if node["id"] in codes
        and frame["x"] < node["page_x"] < frame["x"] + frame["width"]
        and frame["y"] < node["page_y"] < frame_bottom
    ]
    assert tappable  # the opened group is in view
    page.mouse.click(tappable[0]["page_x"], tappable[0]["page_y"])
    page.wait_for_url(f"**/lots/{tappable[0]['id']}/")
    expect(page.locator("h1")).to_contain_text(tappable[0]["id"])


@pytest.mark.parametrize(
    ("language", "one", "many"), [("en", "1 case", "1,250 cases"), ("zh-hans", "1 箱", "1,250 箱")]
)
def test_the_layout_sums_quantities_exactly_names_counted_units_and_survives_a_rework_loop(
    page: Page, live_server, sign_in, noodles_made, language, one, many
):
    sign_in("quality")
    open_graph(page, f"{live_server.url}/lots/{noodles_made['noodles'].code}/", language)
    checks = page.evaluate(
        """() => {
            const layout = window.tracelotGraphLayout;
            const box = document.getElementById("graph").dataset;
            const counted = { case: [box.caseOne, box.caseOther] };
            // A → B → C → A is a rework loop; D is made of C
            const lots = new Map(["A", "B", "C", "D"].map((code) => [code, { id: code }]));
            const links = [["A", "B"], ["B", "C"], ["C", "A"], ["C", "D"]]
                .map(([from, to]) => ({ from: from, to: to }));
            return {
                depths: Object.fromEntries(layout.depths(lots, links)),
                sum: layout.addDecimal("0.1", "0.2"),
                sumOfMany: layout.addDecimal("2947.2000", "52.8"),
                one: layout.amount({ quantity: "1" }, "case", "case", counted),
                many: layout.amount({ quantity: "1250" }, "case", "case", counted),
                kilograms: layout.amount({ quantity: "12480.50" }, "kg", "kg", counted),
                share: layout.amount({ quantity: "2350.9997", share: true }, "kg", "kg", counted),
            };
        }"""
    )
    assert checks["depths"] == {"A": 1, "B": 2, "C": 3, "D": 4}
    assert (checks["sum"], checks["sumOfMany"]) == ("0.3", "3000")
    assert (checks["one"], checks["many"]) == (one, many)
    assert (checks["kilograms"], checks["share"]) == ("12,480.5 kg", "≈ 2,351 kg")
