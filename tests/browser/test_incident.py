"""A quality manager opens an incident from a lot, contains it in one action, and the
station then refuses the contained lot with the incident's number (issue 10, in part)."""

import pytest
from playwright.sync_api import Page, expect

from tracelot.incidents.models import Incident
from tracelot.lots.models import Lot, LotStatus

pytestmark = pytest.mark.usefixtures("flushable_ledger")

WORDS = {
    "en": {"open": "Open an incident", "submit": "Open the incident", "scope": "Suspect scope",
           "contain": "Contain", "held": "on hold"},
    "zh-hans": {"open": "发起质量事故", "submit": "发起", "scope": "可疑范围",
                "contain": "隔离", "held": "已暂扣"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_incident_is_opened_from_a_lot_contained_and_its_lot_refused_at_the_station(
    page: Page, live_server, sign_in, dough_made, step, language, screenshot
):
    words = WORDS[language]
    sign_in("quality", link_operator=True)
    page.goto(f"{live_server.url}/")
    if language != "en":
        page.select_option("#language", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
    flour = dough_made["flour"]
    page.goto(f"{live_server.url}/lots/{flour.code}/")
    page.get_by_role("link", name=words["open"]).click()
    page.fill("#id_title", "Metal fragment in a retail pack")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("h2").first).to_have_text(words["scope"])
    expect(page.locator("main")).to_contain_text(dough_made["dough"].code)
    screenshot(page, "scope")
    page.get_by_role("button", name=words["contain"]).click()
    expect(page.locator("table.identity")).to_contain_text(
        "contained" if language == "en" else "已隔离"
    )
    screenshot(page, "contained")
    assert Lot.objects.get(pk=flour.pk).status == LotStatus.ON_HOLD

    number = Incident.objects.get().number
    page.goto(f"{live_server.url}/capture/station/{step.work_order.number}/{step.sequence}/")
    page.fill("#scan", flour.code)
    page.keyboard.press("Enter")
    expect(page.locator(".panel.bad")).to_contain_text(number)
    expect(page.locator(".panel.bad")).to_contain_text(words["held"])
    screenshot(page, "station-refused")


JOURNEY = {
    "en": {"open": "Open an incident", "submit": "Open the incident", "contain": "Contain",
           "decide": "Sign the decision", "recall": "Sign and start the recall",
           "ack": "Record the acknowledgement", "return": "Record a return",
           "report": "Report (XLSX)", "held": "on hold", "recalled": "Recall started"},
    "zh-hans": {"open": "发起质量事故", "submit": "发起", "contain": "隔离",
                "decide": "签署决定", "recall": "签名并发起召回", "ack": "记录客户确认",
                "return": "记录退回", "report": "报告 (XLSX)", "held": "已暂扣",
                "recalled": "召回已发起"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_from_a_failed_inspection_to_a_recall_with_signatures_returns_and_the_report(
    page: Page, live_server, sign_in, dough_made, step, operator, language, screenshot
):
    from tests.factories import LocationFactory, SalesOrderFactory
    from tracelot.incidents.models import Recall
    from tracelot.ledger import services
    from tracelot.ledger.models import Event, EventKind

    words = JOURNEY[language]
    dough, flour = dough_made["dough"], dough_made["flour"]
    for lot, quantity, key in ((flour, 8, "s1"), (dough_made["pork"], 2, "s2")):
        lot.refresh_from_db()
        services.lot_consume(step=step, lot=lot, quantity=quantity, actor=operator, key=key)
    sibling = services.lot_produce(step=step, quantity=10, actor=operator, key="s3").lot
    failed = services.lot_inspect(
        lot=dough, characteristic="TPC", passed=False, actor=operator, key="qc"
    )
    quarantine = LocationFactory(site=dough.site, code="QUA", name="Quarantine", quarantine=True)
    sign_in("quality", link_operator=True, password="pw-quality-1")
    page.goto(f"{live_server.url}/")
    if language != "en":
        page.select_option("#language", language)
        expect(page.locator("html")).to_have_attribute("lang", language)

    # Opened from the failed inspection: the scope, the customers and the first cause.
    page.goto(f"{live_server.url}/incidents/new/?source=inspection&inspection={failed.pk}")
    page.fill("#id_title", "Total plate count over the limit")
    page.get_by_role("button", name=words["submit"]).click()
    main = page.locator("main")
    expect(main).to_contain_text(sibling.code)
    expect(main).to_contain_text("Hema Fresh")
    expect(page.locator("#causes-table tbody tr").first).to_be_visible()
    screenshot(page, "scope-and-causes")

    # Contained in one action, then a held lot scrapped under a signature.
    page.get_by_role("button", name=words["contain"]).click()
    expect(main).to_contain_text(words["held"])
    page.check(f"input[name=lots][value='{sibling.code}']")
    page.select_option("#decision-kind", "scrap")
    page.fill("#decision-reason", "made from the suspect flour")
    page.fill("#decision-password", "pw-quality-1")
    page.get_by_role("button", name=words["decide"]).click()
    expect(page.locator(".signature").first).to_contain_text("Li Wei")
    screenshot(page, "signed")

    # The recall: started under a signature, acknowledged, 4 back into quarantine.
    page.fill("#sign-password", "pw-quality-1")
    page.get_by_role("button", name=words["recall"]).click()
    expect(main).to_contain_text(words["recalled"])
    page.locator("input[name=note]").first.fill("phoned Ms Liu")
    page.get_by_role("button", name=words["ack"]).click()
    returns = page.locator("form[action$='/return/']").first
    returns.locator("input[name=quantity]").fill("4")
    returns.locator("select[name=location]").select_option(str(quarantine.pk))
    page.get_by_role("button", name=words["return"]).click()
    expect(main).to_contain_text(quarantine.display_name)
    screenshot(page, "recall")
    assert Event.objects.get(kind=EventKind.RETURN).quantity == 4
    assert Recall.objects.get().customers.get().acknowledged_at is not None

    # The report, downloaded.
    with page.expect_download() as download:
        page.get_by_role("link", name=words["report"]).click()
    assert download.value.suggested_filename.endswith("-report.xlsx")
    pdf = page.request.get(
        f"{live_server.url}/reports/incidents/{Incident.objects.get().number}/report.pdf"
    )
    assert pdf.headers["content-type"] == "application/pdf"

    # Afterwards the contained flour is refused at the station and at shipping.
    number = Incident.objects.get().number
    page.goto(f"{live_server.url}/capture/station/{step.work_order.number}/{step.sequence}/")
    page.fill("#scan", flour.code)
    page.keyboard.press("Enter")
    expect(page.locator(".panel.bad")).to_contain_text(number)
    order = SalesOrderFactory(site=flour.site, lines=[(flour.item, 100)])
    sign_in("warehouse", link_operator=True)
    page.goto(f"{live_server.url}/warehouse/shipping/{order.number}/")
    page.fill("#scan", flour.code)
    page.keyboard.press("Enter")
    expect(page.locator(".panel.bad")).to_contain_text(number)
    screenshot(page, "shipping-refused")
    assert not Event.objects.filter(kind=EventKind.SHIP, lot=flour).exists()
