"""The dashboard's QC charts: weekly pass rates by line, by shift and by supplier, named in
the reader's language, kept to the user's sites, each linked to its filtered lot list."""

import datetime as dt
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.factories import ItemFactory, OperatorFactory, SiteFactory, SupplierFactory
from tracelot.ledger import services
from tracelot.reports.dashboard import QC_SERIES, QC_WEEKS, qc_weekly_pass_rates
from tracelot.reports.figures import figures_refresh
from tracelot.reports.models import DailyInspection

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK_10 = dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI)  # a Wednesday of ISO week 10 of 2026
WEEK_11 = dt.datetime(2026, 3, 11, 10, tzinfo=SHANGHAI)  # the Wednesday after
TODAY = dt.datetime(2026, 3, 12, 9, tzinfo=SHANGHAI)  # Thursday of week 11: the last week shown
LOTS = reverse("lotpages:lot-search")


@pytest.fixture
def plant_clock():
    """The plant's clock, stopped on a Wednesday of ISO week 10; move it with move_to."""
    with time_machine.travel(WEEK_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def inspected(plant_clock, dough_made, operator, step):
    """Week 10: the dough (its work order's line and shift) passes 3 inspections of 4, the
    supplier's flour and pork pass 3 of 4. Week 11: the dough passes, the flour fails."""
    step.work_order.line.name_zh = "一号线"
    step.work_order.line.save()
    flour, pork, dough = dough_made["flour"], dough_made["pork"], dough_made["dough"]
    results = [(dough, True), (dough, True), (dough, False), (dough, True)]
    results += [(flour, True), (flour, True), (pork, True), (pork, False)]
    for n, (lot, passed) in enumerate(results):
        services.lot_inspect(
            lot=lot, characteristic="c", passed=passed, actor=operator, key=f"a{n}"
        )
    plant_clock.move_to(WEEK_11)
    services.lot_inspect(lot=dough, characteristic="c", passed=True, actor=operator, key="b1")
    services.lot_inspect(lot=flour, characteristic="c", passed=False, actor=operator, key="b2")
    plant_clock.move_to(TODAY)
    figures_refresh()
    return dough_made


def only(series):
    assert len(series) == 1
    return series[0]


def chart_data(body):
    found = re.search(r'id="charts-data" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def test_the_weeks_are_the_last_thirteen_iso_weeks_this_one_last(inspected):
    weeks = qc_weekly_pass_rates(site_ids=None)["weeks"]
    assert len(weeks) == QC_WEEKS == 13
    assert weeks[-1]["label"] == "W11"
    assert (weeks[-1]["from"], weeks[-1]["to"]) == ("2026-03-09", "2026-03-15")
    # Twelve weeks back crosses the new year: ISO week 51 of 2025.
    assert weeks[0]["title"] == "Week 51 of 2025 (2025-12-15 to 2025-12-21)"


def test_three_passes_of_four_in_a_week_is_75_per_cent_by_line_by_shift_and_by_supplier(
    inspected,
):
    rates = qc_weekly_pass_rates(site_ids=None)
    week_10, week_11 = -2, -1
    line, shift, supplier = only(rates["line"]), only(rates["shift"]), only(rates["supplier"])

    for series in (line, shift):
        assert series["points"][week_10] == {
            "rate": 75.0,
            "passed": 3,
            "total": 4,
            "note": "3 of 4 inspections passed",
        }
        assert series["points"][week_11] == {
            "rate": 100.0,
            "passed": 1,
            "total": 1,
            "note": "1 of 1 inspection passed",
        }
        assert (series["passed"], series["total"], series["rate"]) == (4, 5, 80.0)
    assert supplier["points"][week_10]["rate"] == 75.0
    assert supplier["points"][week_11] == {
        "rate": 0.0,
        "passed": 0,
        "total": 1,
        "note": "0 of 1 inspection passed",
    }
    assert (supplier["passed"], supplier["total"], supplier["rate"]) == (3, 5, 60.0)
    # A week without inspections is a gap, not a week at 0 %.
    assert line["points"][:week_10] == [None] * 11


def test_lines_shifts_and_suppliers_are_named_in_the_readers_language(inspected, step):
    work_order = step.work_order
    english = qc_weekly_pass_rates(site_ids=None)
    with translation.override("zh-hans"):
        chinese = qc_weekly_pass_rates(site_ids=None)

    assert only(english["line"])["name"] == work_order.line.name
    assert only(english["shift"])["name"] == "Day"
    assert only(english["supplier"])["name"] == "Wudefu Flour Mill"
    assert only(chinese["line"])["name"] == "一号线"
    assert only(chinese["shift"])["name"] == "早班"
    assert only(chinese["supplier"])["name"] == "五得利面粉厂"
    assert chinese["weeks"][-1]["from"] == "2026-03-09"


def test_each_series_links_to_the_lot_list_filtered_to_its_line_shift_or_supplier(
    inspected, client_as, step
):
    rates = qc_weekly_pass_rates(site_ids=None)
    work_order = step.work_order
    line, shift, supplier = only(rates["line"]), only(rates["shift"]), only(rates["supplier"])
    assert line["url"] == f"{LOTS}?line={work_order.line.code}"
    assert shift["url"] == f"{LOTS}?shift={work_order.shift.code}"
    assert supplier["url"] == f"{LOTS}?supplier=WUDEFU"

    client = client_as("quality")
    dough, flour, pork = inspected["dough"].code, inspected["flour"].code, inspected["pork"].code
    for url in (line["url"], shift["url"]):
        listed = client.get(url).content.decode()
        assert dough in listed
        assert flour not in listed
    listed = client.get(supplier["url"]).content.decode()
    assert flour in listed
    assert pork in listed
    assert dough not in listed


def test_the_dashboard_draws_three_qc_charts_and_lists_their_links(inspected, client_as, step):
    client = client_as("quality")
    body = client.get(reverse("reports:dashboard")).content.decode()

    for group in ("line", "shift", "supplier"):
        assert f'id="chart-qc-{group}"' in body
    assert "QC pass rate by line" in body
    assert "QC pass rate by shift" in body
    assert "QC pass rate by supplier" in body
    assert f'<a href="{LOTS}?supplier=WUDEFU">Wudefu Flour Mill</a>' in body
    assert f'<a href="{LOTS}?line={step.work_order.line.code}">' in body
    assert "80 %" in body  # the line's rate over the weeks, in its list
    data = chart_data(body)
    assert len(data["qc"]["weeks"]) == QC_WEEKS
    assert data["qc"]["line"][0]["points"][-2]["rate"] == 75.0


def test_the_dashboard_names_and_links_in_chinese(inspected, client_as):
    client = client_as("quality")
    client.post(reverse("accounts:language"), {"language": "zh-hans"})
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert f'<a href="{LOTS}?supplier=WUDEFU">五得利面粉厂</a>' in body
    assert "Wudefu Flour Mill" not in body
    data = chart_data(body)
    assert data["qc"]["line"][0]["name"] == "一号线"
    assert data["qc"]["shift"][0]["name"] == "早班"


@pytest.fixture
def other_site_inspected(inspected):
    """Site S2, which the signed-in user does not belong to, inspects a lot of its own
    supplier."""
    other = SiteFactory(code="S2", name="Plant Two", name_zh="二厂")
    actor = OperatorFactory(site=other, code="OP-S2")
    supplier = SupplierFactory(code="JINLUO", name="Jinluo Meat", name_zh="金锣肉业")
    lot = services.lot_receive(
        site=other,
        item=ItemFactory(code="BEEF", name="Beef"),
        quantity=Decimal(5),
        supplier=supplier,
        supplier_lot="JL-1",
        actor=actor,
        key="s2-receive",
    ).lot
    services.lot_inspect(lot=lot, characteristic="c", passed=False, actor=actor, key="s2-i")
    figures_refresh()
    return other


def test_another_sites_figures_are_not_shown_to_a_user_of_one_site(
    other_site_inspected, client_as, site
):
    everyone = qc_weekly_pass_rates(site_ids=None)
    assert {s["name"] for s in everyone["supplier"]} == {"Wudefu Flour Mill", "Jinluo Meat"}
    mine = qc_weekly_pass_rates(site_ids=frozenset({site.pk}))
    assert [s["name"] for s in mine["supplier"]] == ["Wudefu Flour Mill"]

    body = client_as("quality").get(reverse("reports:dashboard")).content.decode()
    assert "Jinluo Meat" not in body
    assert "JINLUO" not in body
    assert [s["name"] for s in chart_data(body)["qc"]["supplier"]] == ["Wudefu Flour Mill"]


def _suppliers_inspected(site, count):
    """`count` suppliers with 12, 11, 10... inspections today (the daily figures as the ledger
    leaves them), one of each failed."""
    for n in range(count):
        supplier = SupplierFactory(code=f"S{n:02d}", name=f"Supplier {n:02d}")
        DailyInspection.objects.create(
            site=site, day=TODAY.date(), supplier=supplier, passed=11 - n, total=12 - n
        )


def test_past_eight_suppliers_the_least_inspected_are_summed_and_each_still_linked(site):
    with time_machine.travel(TODAY, tick=False):
        _suppliers_inspected(site, 11)
        series = qc_weekly_pass_rates(site_ids=None)["supplier"]

    assert len(series) == QC_SERIES + 1 == 9
    assert [s["name"] for s in series[:2]] == ["Supplier 00", "Supplier 01"]  # most first
    others = series[-1]
    assert others["name"] == "3 other suppliers"
    assert others["url"] == ""  # no one search finds them all: each is linked in the list
    assert (others["passed"], others["total"]) == (3 + 2 + 1, 4 + 3 + 2)
    assert others["points"][-1]["rate"] == 66.7
    assert [(o["name"], o["url"]) for o in others["others"]] == [
        ("Supplier 08", f"{LOTS}?supplier=S08"),
        ("Supplier 09", f"{LOTS}?supplier=S09"),
        ("Supplier 10", f"{LOTS}?supplier=S10"),
    ]


def test_nine_suppliers_are_nine_series_not_eight_and_one_other(site):
    with time_machine.travel(TODAY, tick=False):
        _suppliers_inspected(site, 9)
        series = qc_weekly_pass_rates(site_ids=None)["supplier"]
    assert len(series) == 9
    assert all(s["url"] for s in series)


def test_the_summed_suppliers_are_listed_with_their_links_under_the_chart(site, client_as):
    with time_machine.travel(TODAY, tick=False):
        _suppliers_inspected(site, 10)
        body = client_as("quality").get(reverse("reports:dashboard")).content.decode()
    assert "<summary>2 other suppliers</summary>" in body
    assert f'<a href="{LOTS}?supplier=S09">Supplier 09</a>' in body


def test_a_chart_without_inspections_says_so_in_words(client_as):
    body = client_as("quality").get(reverse("reports:dashboard")).content.decode()
    assert body.count("No inspections in these weeks.") == 3
    assert 'id="chart-qc-' not in body
    data = chart_data(body)
    assert data["qc"]["line"] == data["qc"]["shift"] == data["qc"]["supplier"] == []
