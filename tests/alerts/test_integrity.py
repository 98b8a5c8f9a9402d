"""The daily integrity check, kept: each run is stored with its findings, what is new since
the run before raises an alert, and the dashboard shows the trend with links to the lots."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tracelot.alerts.models import Alert, AlertRule, Condition
from tracelot.ledger.jobs import integrity_check_job
from tracelot.ledger.models import IntegrityRun

pytestmark = pytest.mark.django_db


def _make_negative(lot) -> None:
    with connection.cursor() as cursor:  # what the check is there to find
        cursor.execute("UPDATE lots_lot SET quantity_on_hand = -5 WHERE id = %s", [lot.pk])


def test_each_run_is_kept_and_only_new_findings_raise_an_alert(
    receive, flour, planner, client_as, english
):
    rule = AlertRule.objects.create(code="INT", name="Integrity", condition=Condition.INTEGRITY)
    rule.users.add(planner)
    lot = receive(flour)
    integrity_check_job()
    assert not Alert.objects.exists()  # nothing found
    _make_negative(lot)
    with pytest.raises(SystemExit):
        call_command("check", verbosity=0)  # by hand: stored too
    run = IntegrityRun.objects.order_by("-pk").first()
    assert run.by == "command"
    assert run.findings["negative_stock"]["examples"] == [lot.code]
    alert = Alert.objects.get()
    assert list(alert.lots.all()) == [lot]
    integrity_check_job()  # the same finding the next day: nothing new
    assert Alert.objects.count() == 1
    assert IntegrityRun.objects.count() == 3
    client = client_as("quality")
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="integrity"' in page
    assert "Lots with negative on hand" in page
    assert f'href="/lots/{lot.code}/"' in page
