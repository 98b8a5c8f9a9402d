"""Master data in the browser: a planner's change needs a reason; an auditor only reads."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import ItemFactory
from tracelot.audit.models import MasterDataChange

pytestmark = pytest.mark.usefixtures("flushable_ledger")  # empties the append-only changes


@pytest.fixture
def item(db):
    return ItemFactory(code="FLOUR", name="Flour", name_zh="面粉")


def test_a_planner_must_say_why_before_an_item_change_is_saved(
    page: Page, live_server, sign_in, item, screenshot
):
    sign_in("planner", staff=True)
    page.goto(live_server.url + reverse("admin:items_item_change", args=[item.pk]))
    page.fill("#id_name", "Wheat flour")
    # The browser itself refuses an empty required field; the server must refuse it too.
    page.evaluate("document.querySelector('#id_change_reason').removeAttribute('required')")
    page.click("input[name=_save]")
    expect(page.locator(".change-reason .errorlist")).to_contain_text("Say why")
    screenshot(page, "admin-reason-missing")
    assert not MasterDataChange.objects.exists()

    page.fill("#id_change_reason", "the mill renamed the grade")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    change = MasterDataChange.objects.get()
    assert change.reason == "the mill renamed the grade"

    sign_in("auditor")  # the audit trail is the auditor's and quality's, not the planner's
    page.goto(live_server.url + reverse("ledger:audit-trail"))
    expect(page.locator("table.changes")).to_contain_text("the mill renamed the grade")
    expect(page.locator("table.changes")).to_contain_text("Wheat flour")
    screenshot(page, "audit-master-data")


def test_an_auditor_reads_master_data_without_a_save_button(
    page: Page, live_server, sign_in, item, screenshot
):
    sign_in("auditor", staff=True)
    page.goto(live_server.url + reverse("admin:items_item_change", args=[item.pk]))
    expect(page.locator("#content")).to_contain_text("FLOUR")
    expect(page.locator("input[name=_save]")).to_have_count(0)
    expect(page.locator("#id_change_reason")).to_have_count(0)
    screenshot(page, "admin-auditor")
