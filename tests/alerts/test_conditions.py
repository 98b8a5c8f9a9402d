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


def test_a_still_step_off_its_bill_of_materials_beyond_a_rules_percent_raises_one_alert(
    step, flour, pork, receive, operator
):
    from decimal import Decimal

    from tracelot.alerts.checks import mass_balance_check
    from tracelot.alerts.texts import alert_message

    tight = AlertRule.objects.create(code="MB5", name="5 %", condition=Condition.MASS_BALANCE)
    AlertRule.objects.create(code="MB15", name="15 %", condition=Condition.MASS_BALANCE, percent=15)
    flour_lot, pork_lot = receive(flour, "800"), receive(pork, "200")
    services.lot_consume(step=step, lot=flour_lot, quantity=Decimal(80), actor=operator, key="c1")
    services.lot_consume(step=step, lot=pork_lot, quantity=Decimal(18), actor=operator, key="c2")
    made = services.lot_produce(step=step, quantity=Decimal(100), actor=operator, key="p").lot
    assert mass_balance_check() == 0  # the step may still be running
    with time_machine.travel(clock.now() + timedelta(hours=3)):
        assert mass_balance_check() == 1  # 10 % short of pork: the 5 % rule, not the 15 %
        assert mass_balance_check() == 0  # once per rule and step
    alert = Alert.objects.get()
    assert (alert.rule, alert.step, list(alert.lots.all())) == (tight, step, [made])
    assert alert.line == step.work_order.line
    assert alert.responsible == step.responsible
    english, chinese = alert_message(alert, "en"), alert_message(alert, "zh-hans")
    number = f"{step.work_order.number}/{step.sequence}"
    assert english.title == f"Mass balance: step {number} is 10.0% off its bill of materials"
    assert f"{pork.display_name}: 18 used, 20 by the bill of materials" in english.lines
    assert chinese.title == f"物料平衡\uff1a工序 {number} 偏离物料清单 10.0%"


def test_a_balanced_step_raises_no_mass_balance_alert(step, flour, pork, receive, operator):
    from decimal import Decimal

    from tracelot.alerts.checks import mass_balance_check

    AlertRule.objects.create(code="MB", name="MB", condition=Condition.MASS_BALANCE, percent=1)
    flour_lot, pork_lot = receive(flour, "800"), receive(pork, "200")
    services.lot_consume(step=step, lot=flour_lot, quantity=Decimal(80), actor=operator, key="c1")
    services.lot_consume(step=step, lot=pork_lot, quantity=Decimal(20), actor=operator, key="c2")
    services.lot_produce(step=step, quantity=Decimal(100), actor=operator, key="p")
    with time_machine.travel(clock.now() + timedelta(hours=3)):
        assert mass_balance_check() == 0
