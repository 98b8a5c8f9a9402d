"""The start page in a real browser: both languages, signing in, and styled pages."""

import re

from playwright.sync_api import Browser, Page, expect


def test_the_start_page_renders_in_english(page: Page, live_server, screenshot):
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Lot management and quality traceability.")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Lots by status")).to_have_count(0)  # no plant data for visitors
    screenshot(page)


def test_choosing_chinese_in_the_language_menu_shows_the_start_page_in_chinese(
    page: Page, live_server, screenshot
):
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.select_option("#language", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("批次管理与质量追溯。")
    screenshot(page, "start")
    # the choice is kept in a cookie: the next page is Chinese too
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    screenshot(page, "sign-in")


def test_a_browser_that_asks_for_chinese_gets_the_start_page_in_chinese(
    browser: Browser, live_server, screenshot
):
    context = browser.new_context(
        locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans,zh;q=0.9"}
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.locator("h1")).to_have_text("批次管理与质量追溯。")
        screenshot(page)
    finally:
        context.close()


def test_a_user_signs_in_through_the_sign_in_page_and_lands_on_the_start_page(
    signed_in_page, django_user_model, live_server, screenshot
):
    user = django_user_model.objects.create_user(username="liwei", password="dumplings-2026")
    page = signed_in_page(user, password="dumplings-2026")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("header .who")).to_have_text("liwei")
    expect(page.get_by_role("heading", name="Lots by status")).to_be_visible()
    screenshot(page)


def test_the_admin_sign_in_page_is_styled_by_css_that_whitenoise_serves(
    page: Page, live_server, screenshot
):
    with page.expect_response(re.compile(r"/static/admin/css/base\.css$")) as css:
        page.goto(f"{live_server.url}/admin/login/")
    assert css.value.status == 200
    assert css.value.headers["content-type"].startswith("text/css")
    # WhiteNoise's mark: Django's own static view sends no CORS header
    assert css.value.headers.get("access-control-allow-origin") == "*"
    # base.css colours the header; unstyled it would be transparent
    expect(page.locator("#header")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
    screenshot(page)
