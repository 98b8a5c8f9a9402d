"""The dashboard's QC charts in a real browser: by line, by shift and by supplier, a weekly
trend on a 0-100 % axis, in both languages, each leading to its filtered lot list."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import LineFactory, ShiftFactory, SupplierFactory
from tracelot.reports.models import DailyInspection

pytestmark = pytest.mark.usefixtures("flushable_ledger")

GROUPS = ("line", "shift", "supplier")
LINES = [
    ("L1", "Dumpling line 1", "水饺一线"),
    ("L2", "Dumpling line 2", "水饺二线"),
    ("L3", "Steamed bun line", "包子线"),
]
SHIFTS = [("D", "Day", "早班"), ("E", "Evening", "中班"), ("N", "Night", "夜班")]
SUPPLIERS = [
    ("WUDEFU", "Wudefu Flour Mill", "五得利面粉厂"),
    ("JINLUO", "Jinluo Meat Products", "金锣肉制品"),
    ("SHOUGUANG", "Shandong Shouguang Vegetable Cooperative", "山东寿光蔬菜专业合作社"),
    ("LUHUA", "Luhua Peanut Oil", "鲁花花生油"),
    ("HAITIAN", "Haitian Flavouring and Food", "海天味业"),
    ("ANGEL", "Angel Yeast", "安琪酵母"),
    ("YIHAI", "Yihai Kerry", "益海嘉里"),
    ("SHUANGHUI", "Shuanghui Pork", "双汇猪肉"),
    ("TAITAI", "Totole Seasonings", "太太乐调味品"),
    ("XINLIANG", "Xinliang Flour", "新良面粉"),
    ("GUANSHENG", "Guansheng Yuan Sugar", "冠生园糖业"),
]


@pytest.fixture
def thirteen_weeks_of_inspections(site):
    """Daily inspection figures of 3 lines x 3 shifts and 11 suppliers over 13 weeks, as
    `tracelot rebuild_figures` leaves them (the ledger's side is tested in tests/reports)."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    lines = [LineFactory(site=site, code=c, name=n, name_zh=z) for c, n, z in LINES]
    shifts = [ShiftFactory(site=site, code=c, name=n, name_zh=z) for c, n, z in SHIFTS]
    suppliers = [SupplierFactory(code=c, name=n, name_zh=z) for c, n, z in SUPPLIERS]
    rows = []
    for week in range(13):
        day = monday - dt.timedelta(weeks=12 - week)
        for i, line in enumerate(lines):
            for j, shift in enumerate(shifts):
                total = 12 + 2 * i + j + week % 3
                failed = (week + 2 * i + j) % 4 + (5 if (i, week) == (1, 8) else 0)
                rows.append((day, {"line": line, "shift": shift}, total, total - failed))
        for k, supplier in enumerate(suppliers):
            if (week + k) % 5 == 4:
                continue  # no delivery that week: a gap in its line
            total = 14 - k
            rows.append((day, {"supplier": supplier}, total, total - (week * (k + 1)) % 4))
    DailyInspection.objects.bulk_create(
        DailyInspection(site=site, day=day, passed=passed, total=total, **where)
        for day, where, total, passed in rows
    )


def y_axis(page: Page, group: str) -> dict:
    return page.evaluate(
        "id => echarts.getInstanceByDom(document.getElementById(id)).getOption().yAxis[0]",
        f"chart-qc-{group}",
    )


def drawn(page: Page, *groups: str) -> None:
    """Wait for the charts' opening animation to end (the points are then in place)."""
    page.evaluate(
        """ids => Promise.all(ids.map((id) => new Promise((done) => {
            echarts.getInstanceByDom(document.getElementById(id)).on("finished", done);
            setTimeout(done, 1500); // finished already: no event comes
        })))""",
        [f"chart-qc-{group}" for group in groups or GROUPS],
    )


def point_on_screen(page: Page, group: str, series: int, week: int) -> tuple[float, float]:
    """Where the chart draws `series`' point of `week`, in the viewport (scrolled to it)."""
    page.locator(f"#chart-qc-{group}").evaluate("box => box.scrollIntoView({ block: 'center' })")
    drawn(page, group)
    x, y = page.evaluate(
        """([id, series, week]) => {
            const chart = echarts.getInstanceByDom(document.getElementById(id));
            const value = chart.getOption().series[series].data[week].value;
            return chart.convertToPixel({ seriesIndex: series }, [week, value]);
        }""",
        [f"chart-qc-{group}", series, week],
    )
    box = page.locator(f"#chart-qc-{group}").bounding_box()
    assert box is not None
    return box["x"] + x, box["y"] + y


@pytest.mark.parametrize(
    ("language", "names", "supplier_title"),
    [
        (
            "en",
            ["Dumpling line 1", "Day", "Wudefu Flour Mill", "Guansheng Yuan Sugar"],
            "QC pass rate by supplier",
        ),
        ("zh-hans", ["水饺一线", "早班", "五得利面粉厂", "冠生园糖业"], "各供应商质检合格率"),
    ],
    ids=["en", "zh-hans"],
)
def test_the_dashboard_shows_qc_by_line_shift_and_supplier_as_weekly_charts_with_a_per_cent_axis(
    page: Page,
    live_server,
    sign_in,
    thirteen_weeks_of_inspections,
    screenshot,
    language,
    names,
    supplier_title,
):
    sign_in("quality")
    page.goto(f"{live_server.url}/reports/")
    if language != "en":
        with page.expect_navigation():
            page.select_option("#language", language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", name=supplier_title)).to_be_visible()

    for group, name in zip(GROUPS, names[:3], strict=True):
        chart = page.locator(f"#chart-qc-{group}")
        expect(chart.locator("canvas")).to_be_visible()
        axis = y_axis(page, group)
        assert (axis["min"], axis["max"]) == (0, 100)
        assert axis["axisLabel"]["formatter"] == "{value} %"
        grid = page.evaluate(
            "id => echarts.getInstanceByDom(document.getElementById(id)).getOption().grid[0]",
            f"chart-qc-{group}",
        )
        assert grid["containLabel"]  # the axis labels are inside the chart's box, never cut
        # the list under the chart names and links each series in the reader's language
        expect(chart.locator("xpath=..").get_by_role("link", name=name, exact=True)).to_be_visible()
    # 11 suppliers: the 8 most inspected and the other 3 summed, each still linked below
    supplier_series = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-qc-supplier'))"
        ".getOption().series.length"
    )
    assert supplier_series == 9
    page.locator(".qc-charts summary").click()  # "3 other suppliers"
    expect(page.locator(".qc-charts details").get_by_role("link", name=names[3])).to_be_visible()
    drawn(page)
    screenshot(page)

    x, y = point_on_screen(page, "line", 0, 12)
    page.mouse.move(x, y)
    tooltip = page.locator("#chart-qc-line > div").filter(has_text="%").last
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(names[0])
    expect(tooltip).to_contain_text(re.compile(r"\d %"))
    # each rate with its inspections: (11 of 14 inspections passed)
    expect(tooltip).to_contain_text(re.compile(r"\(\D*\d+\D+\d+\D*\)"))
    screenshot(page, "tooltip")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone on the shop floor
    page.reload()
    drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out
    screenshot(page, "phone")


def test_a_name_and_a_point_open_the_filtered_lot_list(
    page: Page, live_server, sign_in, thirteen_weeks_of_inspections
):
    sign_in("quality")
    page.goto(f"{live_server.url}/reports/")
    page.locator(".qc-charts").get_by_role("link", name="Shuanghui Pork").click()
    expect(page).to_have_url(f"{live_server.url}/lots/?supplier=SHUANGHUI")
    expect(page.locator("#id_supplier")).to_have_value("SHUANGHUI")

    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("#chart-qc-shift canvas")).to_be_visible()
    x, y = point_on_screen(page, "shift", 0, 12)
    with page.expect_navigation():
        page.mouse.click(x, y)
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    sunday = monday + dt.timedelta(days=6)
    assert page.url.startswith(f"{live_server.url}/lots/?shift=")
    assert f"date_from={monday.isoformat()}" in page.url
    assert f"date_to={sunday.isoformat()}" in page.url
    expect(page.locator("#id_date_from")).to_have_value(monday.isoformat())


def test_charts_without_inspections_say_so_in_words(page: Page, live_server, sign_in, screenshot):
    sign_in("quality")
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator(".qc-charts .empty")).to_have_count(3)
    expect(page.locator(".qc-charts .empty").first).to_have_text("No inspections in these weeks.")
    expect(page.locator(".qc-charts canvas")).to_have_count(0)
    screenshot(page)
