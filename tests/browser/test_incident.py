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
