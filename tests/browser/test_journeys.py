"""What people do in the browser: find and trace a lot, ship, switch language, audit."""

import pytest
from playwright.sync_api import Page, expect

from tracelot.ledger.models import Event, EventKind

pytestmark = pytest.mark.usefixtures("flushable_ledger")


def test_a_quality_manager_finds_a_lot_by_supplier_lot_opens_its_forward_graph_and_gets_the_report(
    page: Page, live_server, sign_in, dough_made, screenshot
):
    sign_in("quality")
    flour = dough_made["flour"]
    page.goto(f"{live_server.url}/lots/")
    page.fill("#id_text", flour.supplier_lot)
    page.keyboard.press("Enter")
    # htmx swaps the results in; wait for the filtered list before clicking into it
    expect(page.locator("#results table.lots tbody tr")).to_have_count(1)
    page.get_by_role("link", name=flour.code).click()
    expect(page.locator("h1")).to_contain_text(flour.code)
    page.get_by_role("link", name="Forward: what was made from it and who received it").click()
    expect(page.locator("#graph canvas").first).to_be_visible()
    expect(page.locator("#trace")).to_contain_text(dough_made["dough"].code)
    expect(page.locator("#trace")).to_contain_text("Hema Fresh")
    screenshot(page, "forward-graph")
    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'r.pdf';"
            " document.body.appendChild(a); a.click(); }",
            page.get_by_role("link", name="Trace report (PDF)").get_attribute("href"),
        )
    assert download.value.suggested_filename.endswith(".pdf")


def test_shipping_a_lot_in_quarantine_shows_the_red_refusal_and_writes_nothing(
    page: Page, live_server, sign_in, flour, receive, screenshot
):
    from tests.factories import SalesOrderFactory

    sign_in("warehouse", link_operator=True)
    lot = receive(flour, release=False)
    order = SalesOrderFactory(site=lot.site, lines=[(flour, 100)])
    page.goto(f"{live_server.url}/warehouse/shipping/{order.number}/")
    page.fill("#scan", lot.code)
    page.keyboard.press("Enter")
    expect(page.locator(".panel.bad")).to_contain_text("in quarantine and not released yet")
    screenshot(page, "refused")
    assert not Event.objects.filter(kind=EventKind.SHIP).exists()


def test_the_language_switch_shows_chinese(page: Page, live_server, sign_in, screenshot):
    sign_in("auditor")
    page.goto(f"{live_server.url}/")
    page.select_option("#language", "zh-hans")
    expect(page.get_by_role("heading", name="按状态统计批次")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "chinese")


def test_an_auditor_sees_no_button_that_changes_anything(
    page: Page, live_server, sign_in, dough_made, screenshot
):
    sign_in("auditor")
    lot = dough_made["flour"]
    page.goto(f"{live_server.url}/lots/{lot.code}/")
    expect(page.get_by_role("link", name="Inspect, hold or release")).to_have_count(0)
    response = page.goto(f"{live_server.url}/quality/lots/{lot.code}/inspect/")
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    page.goto(f"{live_server.url}/audit/")
    expect(page.locator("h1")).to_have_text("Audit trail")
    screenshot(page, "audit")


def test_an_operator_scans_a_whole_step_into_an_output_lot_and_prints_its_label(
    page: Page, live_server, sign_in, step, flour, pork, receive, screenshot
):
    sign_in("operator", link_operator=True)
    flour_lot, pork_lot = receive(flour, "500"), receive(pork, "500")
    page.goto(f"{live_server.url}/capture/station/{step.work_order.number}/{step.sequence}/")
    expect(page.locator("#scan")).to_be_focused()
    for lot in (flour_lot, pork_lot):
        page.fill("#scan", lot.code)
        page.keyboard.press("Enter")
        expect(page.locator(".panel.ok")).to_contain_text(lot.code)
    expect(page.locator("table.bom tr.ok")).to_have_count(2)
    page.fill("#quantity", "100")
    page.get_by_role("button", name="Record the output lot").click()
    expect(page.locator(".panel.ok")).to_contain_text("Output lot")
    screenshot(page, "output")
    label = page.get_by_role("link", name="Print the label of")
    response = page.request.get(live_server.url + label.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_a_scan_of_a_held_lot_at_the_station_is_red_and_writes_nothing(
    page: Page, live_server, sign_in, step, flour, receive, operator, screenshot
):
    from tracelot.ledger import services

    sign_in("operator", link_operator=True)
    lot = receive(flour, "500")
    services.lot_hold(lot=lot, reason="metal detector alarm", actor=operator, key="hold")
    page.goto(f"{live_server.url}/capture/station/{step.work_order.number}/{step.sequence}/")
    page.fill("#scan", lot.code)
    page.keyboard.press("Enter")
    expect(page.locator(".panel.bad")).to_contain_text(
        f"Lot {lot.code} is on hold: metal detector alarm."
    )
    screenshot(page, "held")
    assert not Event.objects.filter(kind=EventKind.CONSUME).exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_shipping_refuses_an_expired_lot_then_ships_part_of_a_lot_against_the_open_quantity(
    page: Page, live_server, sign_in, flour, receive, sales_order, screenshot, language
):
    from datetime import timedelta

    from django.utils import timezone

    from tracelot.lots.models import Lot

    sign_in("warehouse", link_operator=True)
    order = sales_order(flour, quantity=96)
    expired, fresh = receive(flour, "40"), receive(flour, "240")
    Lot.objects.filter(pk=expired.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    page.goto(f"{live_server.url}/warehouse/shipping/{order.number}/")
    if language != "en":
        page.select_option("#language", language)
    page.fill("#scan", expired.code)
    page.keyboard.press("Enter")
    refusal = "expired on" if language == "en" else "过期"
    expect(page.locator(".panel.bad")).to_contain_text(refusal)
    screenshot(page, f"expired-{language}")
    page.fill("#scan", fresh.code)
    page.fill("#quantity", "96")
    page.keyboard.press("Enter")
    expect(page.locator(".panel.ok")).to_contain_text(fresh.code)
    expect(page.locator("table.order-progress tbody td").nth(3)).to_have_text("0 kg")
    screenshot(page, f"shipped-{language}")
    assert list(Event.objects.filter(kind=EventKind.SHIP).values_list("lot", "quantity")) == [
        (fresh.pk, 96)
    ]


def test_no_page_breaks_the_content_security_policy(
    page: Page, live_server, sign_in, dough_made, screenshot
):
    sign_in("quality", staff=True)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    flour = dough_made["flour"]
    for path in ["/", "/reports/", f"/lots/{flour.code}/", "/lots/", "/admin/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("#charts-data")).to_have_count(1)
    expect(page.locator("canvas").first).to_be_visible()
    page.select_option("#language", "zh-hans")  # the menu's own script, not an inline handler
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "dashboard")
    assert violations == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_receiving_reads_the_label_keeps_its_expiry_and_receives_into_quarantine(
    page: Page, live_server, sign_in, flour, supplier, screenshot, language
):
    from tracelot.lots.models import Lot

    flour.gtin = "06901234000122"
    flour.save()
    sign_in("warehouse", link_operator=True)
    page.goto(f"{live_server.url}/warehouse/receiving/")
    if language != "en":
        page.select_option("#language", language)
    page.fill("#scan", "(01)06901234000122(17)271209(10)WDF240518A(3103)025000")
    page.keyboard.press("Enter")
    expect(page.locator("#id_expires_on")).to_have_value("2027-12-09")
    expect(page.locator("#id_supplier_lot")).to_have_value("WDF240518A")
    page.select_option("#id_supplier", str(supplier.pk))
    screenshot(page, f"filled-{language}")
    page.locator("form.receive button[type=submit]").click()
    expect(page.locator(".panel.ok")).to_be_visible()
    screenshot(page, f"received-{language}")
    lot = Lot.objects.get(supplier_lot="WDF240518A")
    assert lot.expires_on.isoformat() == "2027-12-09"
    assert lot.status == "quarantine"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_station_names_a_held_lot_after_its_component_is_complete_and_refuses_too_much_output(
    page: Page, live_server, sign_in, step, flour, pork, receive, operator, screenshot, language
):
    from tracelot.ledger import services

    sign_in("operator", link_operator=True)
    flour_lot, held, pork_lot = receive(flour, "500"), receive(flour, "500"), receive(pork, "500")
    services.lot_hold(lot=held, reason="metal detector alarm", actor=operator, key="hold")
    page.goto(f"{live_server.url}/capture/station/{step.work_order.number}/{step.sequence}/")
    if language != "en":
        page.select_option("#language", language)
    for lot in (flour_lot, pork_lot):
        page.fill("#scan", lot.code)
        page.keyboard.press("Enter")
        expect(page.locator(".panel.ok")).to_contain_text(lot.code)
    page.fill("#scan", held.code)  # flour is complete for the step, and this lot is held
    page.keyboard.press("Enter")
    on_hold = "is on hold" if language == "en" else "已暂扣"
    expect(page.locator("#answer .panel.bad")).to_contain_text(on_hold)
    screenshot(page, f"held-after-complete-{language}")
    page.fill("#quantity", "999999")
    page.get_by_role(
        "button", name="Record the output lot" if language == "en" else "记录产出批次"
    ).click()
    too_much = "more than the inputs of this step make" if language == "en" else "超出了本工序投料"
    expect(page.locator("#output .panel.bad")).to_contain_text(too_much)
    screenshot(page, f"too-much-output-{language}")
    assert not Event.objects.filter(kind=EventKind.PRODUCE).exists()
    assert not Event.objects.filter(kind=EventKind.CONSUME, lot=held).exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_phone_no_page_is_wider_than_the_screen(
    page: Page, live_server, sign_in, dough_made, language, screenshot
):
    sign_in("quality")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/")
    if language != "en":
        page.select_option("#language", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
    dough = dough_made["dough"].code
    for name, path in [
        ("lots", "/lots/"),
        ("audit", "/audit/"),
        ("receiving", "/warehouse/receiving/"),
        ("lot", f"/lots/{dough}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        screenshot(page, name)
