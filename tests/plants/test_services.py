# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Plant master data: sites with a valid GLN, stations, teams and operators on their own
site's lines and shifts, shifts with a length; each change recorded with its reason."""

import datetime as dt

import pytest
from django.utils import translation

from tests.factories import LineFactory, OperatorFactory, ShiftFactory, SiteFactory
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core.errors import Refused
from tracelot.plants.models import Shift, Site, Station, Team
from tracelot.plants.services import (
    operator_save,
    shift_save,
    site_save,
    station_save,
    team_save,
)

pytestmark = pytest.mark.django_db


def test_a_site_is_saved_and_recorded(by, planner):
    site = site_save(
        site=Site(code="SH2", name="Shanghai Plant 2", gln="6901234000016"),
        reason="second plant opens",
        by=by,
    )
    change = MasterDataChange.objects.get()
    assert (change.action, change.object_id, change.user) == (
        ChangeAction.ADDED,
        str(site.pk),
        planner,
    )
    assert change.changes["gln"] == ["", "6901234000016"]
    assert change.reason == "second plant opens"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "GLN 6901234000017 has a wrong check digit: it should end in 6."),
        ("zh-hans", "GLN 6901234000017 的校验位不对：最后一位应为 6。"),
    ],
)
def test_a_site_with_a_wrong_gln_check_digit_is_refused(by, language, message):
    with translation.override(language), pytest.raises(Refused) as refused:
        site_save(site=Site(code="SH2", name="Plant 2", gln="6901234000017"), reason="new", by=by)
    assert (refused.value.code, refused.value.message) == ("gln_check_digit", message)
    assert not Site.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_gln_of_the_wrong_length_is_refused(by, english):
    with pytest.raises(Refused, match=r"A GLN has 13 digits; 690123 does not\."):
        site_save(site=Site(code="SH2", name="Plant 2", gln="690123"), reason="new", by=by)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Line L9 Line north belongs to site NORTH, not to site S1."),
        ("zh-hans", "产线 L9 Line north 属于工厂 NORTH，不属于工厂 S1。"),
    ],
)
def test_a_station_on_another_sites_line_is_refused(by, site, language, message):
    north_line = LineFactory(site=SiteFactory(code="NORTH"), code="L9", name="Line north")
    station = Station(site=site, line=north_line, code="MIX1", name="Mixer 1")

    with translation.override(language), pytest.raises(Refused) as refused:
        station_save(station=station, reason="new mixer", by=by)

    assert (refused.value.code, refused.value.message) == ("site_mismatch", message)
    assert refused.value.detail["field"] == "line"
    assert not Station.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_station_on_its_sites_line_is_saved_and_recorded(by, site):
    line = LineFactory(site=site, code="L1", name="Line 1")
    station_save(
        station=Station(site=site, line=line, code="MIX1", name="Mixer 1"),
        reason="new mixer",
        by=by,
    )
    assert MasterDataChange.objects.get().changes["line"] == ["", "L1 Line 1"]


def test_a_team_on_another_sites_shift_and_an_operator_in_another_sites_team_are_refused(by, site):
    north = SiteFactory(code="NORTH")
    with pytest.raises(Refused, match="belongs to site NORTH"):
        team_save(
            team=Team(site=site, code="T1", name="Team 1", shift=ShiftFactory(site=north)),
            reason="new team",
            by=by,
        )
    north_team = Team.objects.create(site=north, code="TN", name="North team")
    operator = OperatorFactory(site=site)
    operator.team = north_team
    with pytest.raises(Refused, match="belongs to site NORTH"):
        operator_save(operator=operator, reason="moved", by=by)
    assert not MasterDataChange.objects.exists()


def test_moving_an_operator_to_a_team_of_their_site_is_recorded(by, site):
    operator = OperatorFactory(site=site, code="OP1")
    operator.team = Team.objects.create(site=site, code="TA", name="Team A")

    operator_save(operator=operator, reason="joined team A", by=by, fields=["team"])

    assert MasterDataChange.objects.get().changes == {"team": ["", "TA Team A"]}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Shift N starts when it ends; give it a start and an end time."),
        ("zh-hans", "班次 N 的上班时间和下班时间相同，请重新填写。"),
    ],
)
def test_a_shift_that_starts_when_it_ends_is_refused(by, site, language, message):
    shift = Shift(site=site, code="N", name="Night", starts_at=dt.time(22), ends_at=dt.time(22))
    with translation.override(language), pytest.raises(Refused) as refused:
        shift_save(shift=shift, reason="night shift", by=by)
    assert (refused.value.code, refused.value.message) == ("shift_empty", message)
    assert not Shift.objects.exists()


def test_a_night_shift_past_midnight_is_saved(by, site):
    shift = Shift(site=site, code="N", name="Night", starts_at=dt.time(22), ends_at=dt.time(6))
    shift_save(shift=shift, reason="night shift", by=by)
    assert MasterDataChange.objects.get().changes["ends_at"] == ["", "06:00:00"]


def test_an_empty_reason_is_refused_before_any_rule(by, site):
    with pytest.raises(Refused) as refused:
        site_save(site=Site(code="SH2", name="Plant 2", gln="1"), reason="", by=by)
    assert refused.value.code == "reason_missing"


def test_a_second_site_keeps_everyone_at_the_first_one_they_worked_at(by, django_user_model):
    from tracelot.plants.models import SiteMembership
    from tracelot.plants.selectors import user_site_ids

    first = SiteFactory(code="SH1")
    worker = django_user_model.objects.create_user(username="liwei")
    assert user_site_ids(user=worker) == {first.pk}  # the one site, without a membership
    second = site_save(site=Site(code="SH2", name="Plant 2"), reason="second plant", by=by)
    worker = django_user_model.objects.get(pk=worker.pk)
    assert user_site_ids(user=worker) == {first.pk}
    assert SiteMembership.objects.filter(user=worker, site=first).exists()
    assert not SiteMembership.objects.filter(site=second).exists()
    assert MasterDataChange.objects.filter(reason="second plant").count() >= 2
