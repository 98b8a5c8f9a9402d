"""A newcomer's first visit to the demo plant: each demo login signs in through the sign-in
page and finds work to do, in both languages (issue 9, A2)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from tracelot.demo.logins import demo_password
from tracelot.items.models import BomLine
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import OrderStatus, WorkOrder

pytestmark = pytest.mark.usefixtures("flushable_ledger")

WORDS = {
    "en": {
        "first": "What to try first",
        "record": "Record inspection",
        "passed": "Inspection passed",
    },
    "zh-hans": {"first": "从这里开始", "record": "记录检验结果", "passed": "检验合格"},
}


@pytest.fixture
def demo_plant(transactional_db):
    call_command("demo", lots=400, seed=3, verbosity=0)
    call_command("demo_logins", verbosity=0)


def sign_in_as(page: Page, url: str, role: str, language: str) -> None:
    page.goto(f"{url}/accounts/login/")
    if language != "en":
        page.select_option("#language", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#id_username", role)
    page.fill("#id_password", demo_password(role))
    with page.expect_navigation():
        page.click("form.sign-in button[type=submit]")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_demo_role_finds_its_first_work_in_the_demo_plant(
    page: Page, live_server, demo_plant, language, screenshot
):
    words = WORDS[language]

    sign_in_as(page, live_server.url, "operator", language)
    expect(page.locator("main")).to_contain_text(words["first"])
    screenshot(page, "operator-start")
    page.locator('main a[href="/capture/station/"]').first.click()
    today = timezone.localdate()
    order = WorkOrder.objects.filter(status=OrderStatus.OPEN).order_by("number").first()
    expect(page.locator("main table")).to_contain_text(order.number)
    step = order.steps.order_by("sequence").first()
    page.goto(f"{live_server.url}/capture/station/{order.number}/{step.sequence}/")
    component = BomLine.objects.filter(parent=step.output_item).order_by("pk").first().component
    lot = (
        Lot.objects.filter(
            item=component,
            status=LotStatus.RELEASED,
            quantity_on_hand__gt=0,
            expires_on__gt=today + dt.timedelta(days=1),
        )
        .order_by("expires_on", "code")
        .first()
    )
    page.fill("#scan", lot.code)
    page.keyboard.press("Enter")
    expect(page.locator(".panel.ok")).to_contain_text(lot.code)
    screenshot(page, "operator-scan")
    page.context.clear_cookies()

    sign_in_as(page, live_server.url, "warehouse", language)
    page.goto(f"{live_server.url}/warehouse/shipping/")
    expect(page.locator("main table tbody tr a").first).to_be_visible()
    screenshot(page, "warehouse-shipping")
    page.goto(f"{live_server.url}/warehouse/receiving/")
    screenshot(page, "warehouse-receiving")
    page.context.clear_cookies()

    sign_in_as(page, live_server.url, "quality", language)
    waiting = Lot.objects.filter(status=LotStatus.QUARANTINE, received_on__isnull=False)
    lot = waiting.order_by("code").first()
    page.goto(f"{live_server.url}/quality/lots/{lot.code}/inspect/")
    plan = lot.item.inspection_plans.get(active=True)
    expect(page.locator("#inspection h2")).to_have_text(
        plan.name_zh if language == "zh-hans" else plan.name
    )
    for characteristic in plan.characteristics.all():
        field = f"#id_characteristic_{characteristic.pk}"
        if characteristic.kind == "attribute":
            page.select_option(field, "pass")
        else:
            low, high = characteristic.lower_limit, characteristic.upper_limit
            middle = (low + high) / 2 if low is not None and high is not None else (low or high)
            page.fill(field, format(middle.normalize(), "f"))
    page.get_by_role("button", name=words["record"]).click()
    expect(page.locator("#inspection-result")).to_contain_text(words["passed"])
    expect(page.locator("#inspection-result")).to_have_attribute("data-result", "pass")
    screenshot(page, "quality-inspected")
