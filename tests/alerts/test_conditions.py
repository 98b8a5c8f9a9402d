"""Alerts for what happens over time: scans refused again and again at one station, lots
about to expire or expired on hand, holds left too long (the daily job)."""

from datetime import timedelta

import pytest
import time_machine

from tests.conftest import jobs_run
from tracelot.alerts.checks import lots_daily_check
from tracelot.alerts.models import Alert, AlertRule, Condition
from tracelot.capture.models import ScanLog, ScanResult
from tracelot.core import clock
from tracelot.ledger import services
from tracelot.plants.models import Station

pytestmark = pytest.mark.django_db


def _refuse(site, station, operator, n, lot=None):
    return ScanLog.objects.create(
        site=site, scanned_at=clock.now(), station=station, operator=operator, text=f"BAD-{n}",
        lot=lot, result=ScanResult.REFUSED, code="on_hold", message="Lot is on hold",
        messages={"en": "Lot is on hold", "zh-hans": "批次已暂扣"}, duration_ms=3.0,
    )  # fmt: skip


def test_three_refusals_within_ten_minutes_at_one_station_raise_one_alert(site, operator, planner):
    rule = AlertRule.objects.create(
        code="SCAN", name="Refused scans", condition=Condition.SCAN_REFUSED, count=3, minutes=10
    )
    rule.users.add(planner)
    station = Station.objects.create(site=site, code="ST1", name="Mixer station")
    for n in range(2):
        _refuse(site, station, operator, n)
    jobs_run()
    assert not Alert.objects.exists()  # two are not yet three
    _refuse(site, station, operator, 2)
    jobs_run()
    alert = Alert.objects.get()
    assert alert.detail["refused"] == 3
    from tracelot.alerts.texts import alert_message

    assert "Lot is on hold" in alert_message(alert, "en").lines
    assert "批次已暂扣" in alert_message(alert, "zh-hans").lines
    assert alert.responsible == operator
    _refuse(site, station, operator, 3)
    jobs_run()
    assert Alert.objects.count() == 1  # the next burst counts from this alert on


def test_the_daily_job_names_expiring_expired_and_long_held_lots_once(
    receive, flour, operator, site
):
    soon = receive(flour)
    soon.expires_on = clock.today() + timedelta(days=3)
    soon.save(update_fields=["expires_on"])
    held = receive(flour)
    services.lot_hold(lot=held, reason="lab", actor=operator, key="h")
    for code, condition in (("EXP", Condition.EXPIRING), ("HOLD", Condition.HOLD_AGE)):
        AlertRule.objects.create(code=code, name=code, condition=condition, days=7)
    assert lots_daily_check() == 1  # expiring; the hold is young
    expiring = Alert.objects.get(condition=Condition.EXPIRING)
    assert list(expiring.lots.all()) == [soon]
    with time_machine.travel(clock.now() + timedelta(days=8)):
        assert lots_daily_check() == 1  # the hold is 8 days old; the lot expired: no rule
    hold = Alert.objects.get(condition=Condition.HOLD_AGE)
    assert list(hold.lots.all()) == [held]
    with time_machine.travel(clock.now() + timedelta(days=9)):
        assert lots_daily_check() == 0  # named already
