"""The dashboard's daily figures follow the ledger: new events, reversals, plant days."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tracelot.items.models import ItemKind
from tracelot.ledger import services
from tracelot.reports.dashboard import output_per_day_and_line, qc_weekly_pass_rates
from tracelot.reports.figures import figures_rebuild, figures_refresh
from tracelot.reports.models import DailyInspection, DailyOutput

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def finished_step(step, dough):
    dough.kind = ItemKind.FINISHED
    dough.save()
    return step


def produce(step, operator, quantity, key, *, at=None):
    # The figures count output; the inputs it was made from are not part of these tests.
    return services.lot_produce(
        step=step,
        quantity=Decimal(quantity),
        actor=operator,
        key=key,
        occurred_at=at,
        over_bom_reason="inputs recorded elsewhere",
    )


def output_today(line_code):
    figures = output_per_day_and_line(site_ids=None)
    series = {s["name"]: s["data"] for s in figures["series"]}
    return series.get(line_code, [0])[-1]


def test_a_refresh_counts_output_recorded_since_the_last_one(finished_step, operator):
    line = finished_step.work_order.line.code
    produce(finished_step, operator, "10", "p1")
    assert figures_refresh() == 1
    assert output_today(line) == 10.0

    produce(finished_step, operator, "5", "p2")
    figures_refresh()
    assert output_today(line) == 15.0
    assert DailyOutput.objects.get().lots == 2


def test_a_refresh_with_nothing_new_touches_no_day(finished_step, operator):
    produce(finished_step, operator, "10", "p1")
    figures_refresh()
    assert figures_refresh() == 0


def test_a_reversed_output_leaves_the_figures_of_its_day(finished_step, operator):
    line = finished_step.work_order.line.code
    kept = produce(finished_step, operator, "10", "p1")
    wrong = produce(finished_step, operator, "7", "p2")
    figures_refresh()
    assert output_today(line) == 17.0

    services.event_reverse(event=wrong, reason="typed 7, made 0", actor=operator, key="r")
    figures_refresh()
    assert output_today(line) == 10.0
    assert kept.lot.code != wrong.lot.code


def test_days_are_plant_days_not_utc_days(finished_step, operator):
    # 01:30 in Shanghai on 2 March is 17:30 UTC on 1 March: the plant calls it 2 March.
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI), tick=False):
        produce(
            finished_step,
            operator,
            "4",
            "p1",
            at=dt.datetime(2026, 3, 2, 1, 30, tzinfo=SHANGHAI),
        )
        figures_refresh()
    assert DailyOutput.objects.get().day == dt.date(2026, 3, 2)


def test_intermediate_goods_are_not_output(step, operator):
    produce(step, operator, "10", "p1")
    figures_refresh()
    assert not DailyOutput.objects.exists()


def test_inspections_are_counted_by_line_shift_and_supplier(dough_made, operator):
    flour, pork, dough = dough_made["flour"], dough_made["pork"], dough_made["dough"]
    services.lot_inspect(lot=flour, characteristic="moisture", passed=True, actor=operator, key="1")
    services.lot_inspect(lot=pork, characteristic="temp", passed=False, actor=operator, key="2")
    services.lot_inspect(lot=dough, characteristic="taste", passed=True, actor=operator, key="3")
    figures_refresh()

    rates = qc_weekly_pass_rates(site_ids=None)
    counts = {
        group: [(one["name"], one["passed"], one["total"]) for one in rates[group]]
        for group in ("line", "shift", "supplier")
    }
    work_order = dough.work_order
    assert counts["supplier"] == [("Wudefu Flour Mill", 1, 2)]
    assert counts["line"] == [(work_order.line.display_name, 1, 1)]
    assert counts["shift"] == [(work_order.shift.display_name, 1, 1)]


def test_a_rebuild_gives_the_figures_the_refreshes_gave(dough_made, finished_step, operator):
    services.lot_inspect(
        lot=dough_made["flour"], characteristic="moisture", passed=True, actor=operator, key="i"
    )
    figures_refresh()
    produce(finished_step, operator, "0.5", "p9")
    figures_refresh()
    refreshed = _rows()

    assert figures_rebuild() == 1
    assert _rows() == refreshed


def _rows():
    output = sorted(DailyOutput.objects.values_list("day", "line_id", "quantity", "lots"))
    inspections = sorted(
        DailyInspection.objects.values_list(
            "day", "line_id", "shift_id", "supplier_id", "passed", "total"
        ),
        key=str,
    )
    return output, inspections


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Daily figures recounted from the ledger: 1 day."), ("zh-hans", "1 天")],
)
def test_the_rebuild_command_reports_the_days_in_the_users_language(
    finished_step, operator, language, text, capsys, monkeypatch
):
    produce(finished_step, operator, "3", "p1")
    monkeypatch.setenv("TRACELOT_LANGUAGE", language)
    call_command("rebuild_figures")
    assert text in capsys.readouterr().out
