"""Mock recall drills: scored against BRCGS and FSMA 204, kept in a history, run on a
schedule on a random lot, from the command line and from the drills page."""

import json
import random
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import ItemFactory, OperatorFactory, SiteFactory
from tracelot.core.errors import Refused
from tracelot.incidents.drills import (
    drill_complete,
    drill_lot_pick,
    drill_run,
    drill_schedule_set,
    drill_score,
    drills_due_run,
)
from tracelot.incidents.models import Drill, DrillLotKind, DrillSchedule
from tracelot.items.models import Item, ItemKind
from tracelot.ledger import services
from tracelot.ledger.models import Event
from tracelot.lots.models import LotStatus
from tracelot.plants.models import Operator

pytestmark = pytest.mark.django_db

HOUR_MS = 3_600_000


def _at(day: date):
    return time_machine.travel(
        timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9))
    )


# Scoring and completeness


def test_a_five_hour_drill_fails_brcgs_and_meets_fsma_204():
    score = drill_score(5 * HOUR_MS)
    assert score["brcgs"] == {"limit_hours": 4, "met": False, "margin_hours": -1.0}
    assert score["fsma_204"] == {"limit_hours": 24, "met": True, "margin_hours": 19.0}


def test_a_drill_of_exactly_four_hours_meets_both_limits():
    score = drill_score(4 * HOUR_MS)
    assert score["brcgs"]["met"]
    assert score["fsma_204"]["met"]
    assert not drill_score(24 * HOUR_MS + 1)["fsma_204"]["met"]


def test_a_mass_balance_is_complete_only_when_nothing_is_unaccounted_in_any_unit():
    clean = {"kg": {"unaccounted": "0"}, "pcs": {"unaccounted": "0.000"}}
    assert drill_complete(clean)
    assert not drill_complete({**clean, "l": {"unaccounted": "0.5"}})
    assert not drill_complete({"kg": {"unaccounted": "-2"}})  # more left than was made


def test_a_drill_on_a_clean_plant_is_complete_and_kept_in_the_history(dough_made, quality_manager):
    events_before = Event.objects.count()
    drill = drill_run(lot=dough_made["flour"], by=quality_manager)
    assert drill.complete
    assert drill.site_id == dough_made["flour"].site_id
    assert drill.run_by == quality_manager
    assert not drill.scheduled
    assert {"lot", "scope", "customers", "mass_balance", "timings_ms", "score", "complete"} <= set(
        drill.report
    )
    assert drill.report["score"]["brcgs"]["met"]
    assert drill.total_ms == drill.report["timings_ms"]["total"]
    assert drill.report["customers"][0]["name"] == "Hema Fresh"
    later = drill_run(lot=dough_made["dough"], by=None)
    assert list(Drill.objects.all()) == [later, drill]  # newest first
    assert Event.objects.count() == events_before  # nothing held, nothing recorded
    dough_made["flour"].refresh_from_db()
    assert dough_made["flour"].status == LotStatus.RELEASED


def test_a_count_that_came_out_short_makes_the_drill_incomplete(dough_made, operator):
    services.lot_adjust(
        lot=dough_made["flour"], counted=Decimal(90), reason="stock count", actor=operator, key="a"
    )
    drill = drill_run(lot=dough_made["flour"], by=None)
    assert not drill.complete
    assert drill.report["complete"] is False
    assert drill.report["mass_balance"]["kg"]["unaccounted"] == "2"


# Picking a lot at random


def test_a_random_pick_returns_a_lot_of_the_asked_kind(dough_made, site):
    raw = {dough_made["flour"].pk, dough_made["pork"].pk}
    everything = raw | {dough_made["dough"].pk}
    for seed in range(20):
        rng = random.Random(seed)
        assert drill_lot_pick(site=site, lot_kind=DrillLotKind.RAW, rng=rng).pk in raw
        assert drill_lot_pick(site=site, lot_kind=DrillLotKind.ANY, rng=rng).pk in everything
    Item.objects.filter(pk=dough_made["dough"].item_id).update(kind=ItemKind.FINISHED)
    picked = drill_lot_pick(site=site, lot_kind=DrillLotKind.FINISHED, rng=random.Random(3))
    assert picked == dough_made["dough"]


def test_a_random_pick_finds_none_where_there_is_no_lot_of_the_kind(dough_made, site):
    rng = random.Random(1)
    assert drill_lot_pick(site=site, lot_kind=DrillLotKind.FINISHED, rng=rng) is None
    other = SiteFactory(code="S2", name="Plant Two")
    assert drill_lot_pick(site=other, lot_kind=DrillLotKind.ANY, rng=rng) is None


def test_a_random_pick_reaches_every_lot_of_the_kind(site, receive):
    flour = ItemFactory(code="F2")
    lots = {receive(flour, release=False).pk for _ in range(5)}
    rng = random.Random(7)
    seen = {drill_lot_pick(site=site, lot_kind=DrillLotKind.RAW, rng=rng).pk for _ in range(200)}
    assert seen == lots


# Schedules


def test_a_due_schedule_runs_once_and_moves_forward(dough_made, site):
    schedule = drill_schedule_set(
        site=site, every_days=91, lot_kind=DrillLotKind.RAW, next_on=date(2026, 1, 1)
    )
    assert drills_due_run(on=date(2025, 12, 31), rng=random.Random(1)) == []  # not yet due
    (drill,) = drills_due_run(on=date(2026, 1, 10), rng=random.Random(1))
    assert drill.scheduled
    assert drill.run_by is None
    assert drill.lot in (dough_made["flour"], dough_made["pork"])
    schedule.refresh_from_db()
    assert schedule.next_on == date(2026, 4, 2)  # 91 days after the date it was due
    assert drills_due_run(on=date(2026, 1, 10), rng=random.Random(1)) == []  # twice: once
    assert Drill.objects.count() == 1


def test_a_schedule_missed_for_months_runs_once_and_lands_after_the_day(dough_made, site):
    drill_schedule_set(
        site=site, every_days=30, lot_kind=DrillLotKind.ANY, next_on=date(2026, 1, 1)
    )
    assert len(drills_due_run(on=date(2026, 6, 15), rng=random.Random(1))) == 1
    next_on = DrillSchedule.objects.get().next_on
    assert date(2026, 6, 15) < next_on <= date(2026, 7, 15)
    assert (next_on - date(2026, 1, 1)).days % 30 == 0


def test_a_site_with_no_lot_to_drill_on_stays_due(dough_made, site):
    drill_schedule_set(
        site=site, every_days=91, lot_kind=DrillLotKind.FINISHED, next_on=date(2026, 1, 1)
    )
    assert drills_due_run(on=date(2026, 1, 10), rng=random.Random(1)) == []
    assert DrillSchedule.objects.get().next_on == date(2026, 1, 1)


@pytest.mark.parametrize("every_days", [0, -5, 367])
def test_a_schedule_outside_one_day_to_a_year_is_refused_and_writes_nothing(site, every_days):
    with pytest.raises(Refused, match="every 1 to 366 days") as refusal:
        drill_schedule_set(
            site=site, every_days=every_days, lot_kind=DrillLotKind.ANY, next_on=date(2026, 1, 1)
        )
    assert refusal.value.code == "drill_every_days"
    assert not DrillSchedule.objects.exists()


def test_an_unknown_kind_of_lot_is_refused(site):
    with pytest.raises(Refused, match="not sideways"):
        drill_schedule_set(site=site, every_days=30, lot_kind="sideways", next_on=date(2026, 1, 1))
    assert not DrillSchedule.objects.exists()


def test_setting_a_schedule_again_changes_it(site):
    drill_schedule_set(
        site=site, every_days=91, lot_kind=DrillLotKind.ANY, next_on=date(2026, 1, 1)
    )
    drill_schedule_set(
        site=site, every_days=30, lot_kind=DrillLotKind.RAW, next_on=date(2026, 2, 1)
    )
    schedule = DrillSchedule.objects.get()
    assert (schedule.every_days, schedule.lot_kind, schedule.next_on) == (
        30,
        DrillLotKind.RAW,
        date(2026, 2, 1),
    )


# The commands


def _json(*args: str) -> dict:
    out = StringIO()
    call_command(*args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_recall_command_scores_the_drill_and_keeps_it_only_when_asked(dough_made):
    code = dough_made["flour"].code
    answer = _json("recall", code, "--mock")
    assert {"lot", "scope", "customers", "mass_balance", "timings_ms"} <= set(answer)
    assert answer["complete"] is True
    assert answer["score"]["brcgs"]["met"] is True
    assert answer["score"]["fsma_204"]["limit_hours"] == 24
    assert "drill" not in answer
    assert not Drill.objects.exists()
    kept = _json("recall", code, "--mock", "--keep")
    drill = Drill.objects.get()
    assert kept["drill"] == drill.pk
    assert drill.report["lot"] == code
    assert drill.run_by is None


def test_the_recall_command_prints_the_score_and_the_drill_kept(dough_made):
    out = StringIO()
    call_command("recall", dough_made["flour"].code, "--mock", "--keep", stdout=out)
    text = out.getvalue()
    assert "BRCGS" in text
    assert "FSMA 204" in text
    assert "Every unit is accounted for." in text
    assert f"drill {Drill.objects.get().pk}" in text


def test_the_drills_command_sets_a_schedule_runs_it_when_due_and_lists_the_history(
    dough_made, site
):
    answer = _json(
        "drills", "--schedule", site.code, "--every", "91", "--on", "raw", "--next", "2026-03-01"
    )
    assert answer["schedule"] == {
        "site": site.code,
        "every_days": 91,
        "on": "raw",
        "next_on": "2026-03-01",
    }
    with _at(date(2026, 2, 28)):
        assert _json("drills", "--due") == {"drills": [], "still_due": []}
    with _at(date(2026, 3, 1)):
        first = _json("drills", "--due")
        again = _json("drills", "--due")
    (drill,) = first["drills"]
    assert drill["scheduled"] is True
    assert drill["lot"] in (dough_made["flour"].code, dough_made["pork"].code)
    assert drill["score"]["brcgs"]["met"] is True
    assert again["drills"] == []
    history = _json("drills")
    assert [d["id"] for d in history["drills"]] == [drill["id"]]
    assert history["schedules"][0]["next_on"] == "2026-05-31"


def test_the_drills_command_says_which_site_has_no_lot_to_drill_on(site):
    drill_schedule_set(
        site=site, every_days=91, lot_kind=DrillLotKind.ANY, next_on=date(2026, 1, 1)
    )
    with _at(date(2026, 1, 2)):
        assert _json("drills", "--due")["still_due"] == [site.code]
        out = StringIO()
        call_command("drills", "--due", stdout=out)
    assert f"{site.code} has no lot to drill on" in out.getvalue()


def test_the_drills_command_prints_the_history_as_a_table(dough_made, quality_manager):
    drill_run(lot=dough_made["flour"], by=quality_manager)
    out = StringIO()
    call_command("drills", stdout=out)
    assert dough_made["flour"].code in out.getvalue()
    assert "QM-ZHANG" in out.getvalue()


def test_the_drills_command_refuses_bad_input_and_writes_nothing(site):
    with pytest.raises(CommandError, match="every 1 to 366 days, not every 0"):
        call_command("drills", "--schedule", site.code, "--every", "0", "--on", "any")
    with pytest.raises(CommandError, match="No site NOWHERE"):
        call_command("drills", "--schedule", "NOWHERE", "--every", "30", "--on", "any")
    with pytest.raises(CommandError, match="--every"):
        call_command("drills", "--schedule", site.code)
    assert not DrillSchedule.objects.exists()


# The pages


@pytest.fixture
def quality_client(client_as):
    return client_as("quality", link_operator=True)


def test_a_quality_manager_runs_a_drill_and_sees_it_in_the_history(
    quality_client, dough_made, operator
):
    code = dough_made["flour"].code
    response = quality_client.post(reverse("incidents:drill-run"), {"lot": f" {code} "})
    drill = Drill.objects.get()
    assert response.url == reverse("incidents:drill-detail", args=[drill.pk])
    assert drill.run_by == operator
    assert drill.lot == dough_made["flour"]
    detail = quality_client.get(response.url).content.decode()
    assert "Mass balance" in detail
    assert "Hema Fresh" in detail
    assert "Every unit is accounted for." in detail
    listing = quality_client.get(reverse("incidents:drill-list")).content.decode()
    assert code in listing
    assert reverse("incidents:drill-detail", args=[drill.pk]) in listing
    incidents = quality_client.get(reverse("incidents:incident-list")).content.decode()
    assert reverse("incidents:drill-list") in incidents


def test_a_quality_manager_runs_a_drill_on_a_random_raw_lot(quality_client, dough_made, site):
    response = quality_client.post(
        reverse("incidents:drill-run"), {"site": site.pk, "lot_kind": DrillLotKind.RAW}
    )
    drill = Drill.objects.get()
    assert response.url == reverse("incidents:drill-detail", args=[drill.pk])
    assert drill.lot in (dough_made["flour"], dough_made["pork"])


def test_a_quality_manager_sets_the_schedule_of_the_site(quality_client, site):
    response = quality_client.post(
        reverse("incidents:drill-schedule"),
        {"site": site.pk, "every_days": 91, "lot_kind": "finished", "next_on": "2027-01-04"},
        follow=True,
    )
    schedule = DrillSchedule.objects.get()
    assert (schedule.site, schedule.every_days, schedule.next_on) == (site, 91, date(2027, 1, 4))
    assert "a drill every 91 days" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lot": "NO-SUCH-LOT"}, "No such lot."),
        ({}, "Type a lot code, or choose a site and a kind of lot"),
        ({"lot_kind": "finished", "site": "SITE"}, "has no lot of this kind to drill on"),
    ],
)
def test_a_drill_on_a_lot_not_found_says_why_and_writes_nothing(
    quality_client, dough_made, site, data, message
):
    data = {key: site.pk if value == "SITE" else value for key, value in data.items()}
    response = quality_client.post(reverse("incidents:drill-run"), data, follow=True)
    assert message in response.content.decode()
    assert not Drill.objects.exists()


def test_a_lot_of_another_site_is_not_found_for_a_drill(quality_client, flour, supplier):
    other = SiteFactory(code="S2", name="Plant Two")
    lot = services.lot_receive(
        site=other,
        item=flour,
        quantity=Decimal(5),
        supplier=supplier,
        supplier_lot="S2-1",
        actor=OperatorFactory(site=other),
        key="other-site",
    ).lot
    response = quality_client.post(reverse("incidents:drill-run"), {"lot": lot.code}, follow=True)
    assert "No such lot." in response.content.decode()
    assert not Drill.objects.exists()
    theirs = drill_run(lot=lot, by=None)
    detail = quality_client.get(reverse("incidents:drill-detail", args=[theirs.pk]))
    assert detail.status_code == 404
    listing = quality_client.get(reverse("incidents:drill-list")).content.decode()
    assert lot.code not in listing


def test_a_schedule_of_zero_days_says_why_and_writes_nothing(quality_client, site):
    response = quality_client.post(
        reverse("incidents:drill-schedule"),
        {"site": site.pk, "every_days": 0, "lot_kind": "any", "next_on": "2027-01-04"},
        follow=True,
    )
    assert "A drill is run every 1 to 366 days, not every 0." in response.content.decode()
    assert not DrillSchedule.objects.exists()


def test_the_refusal_reads_in_chinese(quality_client, site, monkeypatch):
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    response = quality_client.post(
        reverse("incidents:drill-schedule"),
        {"site": site.pk, "every_days": 400, "lot_kind": "any", "next_on": "2027-01-04"},
        follow=True,
    )
    assert "演练间隔为 1 至 366 天" in response.content.decode()
    assert "不能是 400 天" in response.content.decode()
    monkeypatch.setenv("TRACELOT_LANGUAGE", "zh-hans")
    with pytest.raises(CommandError, match="不能是 0 天"):
        call_command("drills", "--schedule", site.code, "--every", "0", "--on", "any")
    assert not DrillSchedule.objects.exists()


def test_a_schedule_without_a_date_names_the_missing_field(quality_client, site):
    response = quality_client.post(
        reverse("incidents:drill-schedule"),
        {"site": site.pk, "every_days": 30, "lot_kind": "any"},
        follow=True,
    )
    assert "Next drill on: This field is required." in response.content.decode()
    assert not DrillSchedule.objects.exists()


def test_an_operator_may_neither_see_nor_run_drills(client_as, dough_made):
    operator_client = client_as("operator")
    assert operator_client.get(reverse("incidents:drill-list")).status_code == 403
    run = operator_client.post(reverse("incidents:drill-run"), {"lot": dough_made["flour"].code})
    assert run.status_code == 403
    assert not Drill.objects.exists()


def test_an_auditor_reads_the_drills_without_the_forms(client_as, dough_made, quality_manager):
    drill = drill_run(lot=dough_made["flour"], by=quality_manager)
    auditor = client_as("auditor")
    body = auditor.get(reverse("incidents:drill-list")).content.decode()
    assert reverse("incidents:drill-detail", args=[drill.pk]) in body
    assert reverse("incidents:drill-run") not in body
    assert auditor.get(reverse("incidents:drill-detail", args=[drill.pk])).status_code == 200
    assert auditor.post(reverse("incidents:drill-run"), {}).status_code == 403


def test_a_user_without_an_operator_cannot_run_a_drill(client_as, dough_made):
    unlinked = client_as("quality")
    response = unlinked.post(reverse("incidents:drill-run"), {"lot": dough_made["flour"].code})
    assert response.status_code == 403
    assert not Drill.objects.exists()


def test_the_history_page_reads_the_same_number_of_queries_for_more_drills(
    quality_client, dough_made, django_assert_max_num_queries
):
    by = Operator.objects.first()
    drill_run(lot=dough_made["flour"], by=by)
    with django_assert_max_num_queries(13) as one:
        quality_client.get(reverse("incidents:drill-list"))
    for lot in ("pork", "dough", "flour"):
        drill_run(lot=dough_made[lot], by=by)
    with django_assert_max_num_queries(len(one.captured_queries)):
        quality_client.get(reverse("incidents:drill-list"))
