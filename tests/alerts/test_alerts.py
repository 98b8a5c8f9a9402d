"""Alerts end to end: a failed inspection or a new incident raises an alert after the request
(the worker's job), its recipients see it under the bell until someone acknowledges it, and
each e-mail address and webhook receives it, retried with back-off and the same delivery id."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django_q.models import OrmQ

from tests.conftest import jobs_run
from tracelot.accounts.roles import roles_sync
from tracelot.alerts.delivery import backoff, deliver, deliveries_send
from tracelot.alerts.models import (
    Alert,
    AlertRule,
    Condition,
    Delivery,
    DeliveryStatus,
    Webhook,
    WebhookKind,
)
from tracelot.alerts.payloads import tracelot_signature
from tracelot.core import clock
from tracelot.plants.models import SiteMembership
from tracelot.quality.services import inspection_record

pytestmark = pytest.mark.django_db

GOOD = {"MOIST": Decimal("12.5"), "ASH": Decimal("0.50"), "SMELL": "pass"}


@pytest.fixture
def quality_user(django_user_model, site):
    roles_sync()
    user = django_user_model.objects.create_user(username="liang", password="pw-Liang-12345")
    user.groups.add(Group.objects.get(name="quality"))
    SiteMembership.objects.create(user=user, site=site)
    return user


@pytest.fixture
def rule(quality_user, receiver):
    url, _received, _answers = receiver
    hook = Webhook.objects.create(name="QA system", kind=WebhookKind.TRACELOT, url=url + "/hook",
                                  secret="whsec", language="en")  # fmt: skip
    made = AlertRule.objects.create(
        code="QC-FAIL", name="Failed inspection", condition=Condition.INSPECTION_FAILED,
        emails="qm@plant.example.com\nplant.manager@plant.example.com en",
    )  # fmt: skip
    made.roles.add(Group.objects.get(name="quality"))
    made.webhooks.add(hook)
    return made


@pytest.fixture
def failed(receive, flour, flour_plan, by_code, quality_manager):
    def inspect(key="qc-1", **changes):
        return inspection_record(
            lot=receive(flour, release=False), plan=flour_plan,
            values=by_code(**{**GOOD, **changes}), inspector=quality_manager, key=key,
        )  # fmt: skip

    return inspect


def test_without_a_rule_recording_queues_nothing(failed):
    failed(MOIST=Decimal("15"))
    assert not OrmQ.objects.exists()


def test_a_failed_inspection_raises_one_alert_after_the_request(rule, failed, quality_user):
    inspection = failed(MOIST=Decimal("15"))
    assert not Alert.objects.exists()  # the request only queued a job
    assert jobs_run() >= 1
    alert = Alert.objects.get()
    assert alert.condition == Condition.INSPECTION_FAILED
    assert list(alert.lots.all()) == [inspection.lot]
    assert alert.detail["failed"] == ["MOIST"]
    assert alert.responsible is not None
    assert list(alert.recipients.values_list("user", flat=True)) == [quality_user.pk]
    assert Delivery.objects.filter(alert=alert).count() == 3  # the webhook and two e-mails
    from tracelot.alerts.checks import inspections_check

    assert inspections_check([inspection.event_id]) == 0  # the job twice: still one alert
    assert Alert.objects.count() == 1


def test_a_passed_inspection_raises_nothing(rule, failed):
    failed()
    jobs_run()
    assert not Alert.objects.exists()


def test_each_recipient_gets_it_in_their_language_and_the_webhook_signed(rule, failed, receiver):
    _url, received, _answers = receiver
    inspection = failed(MOIST=Decimal("15"))
    jobs_run()  # raise, then deliver
    jobs_run()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    chinese, english = sorted(mail.outbox, key=lambda m: m.to[0], reverse=True)
    assert chinese.to == ["qm@plant.example.com"]
    assert chinese.subject == f"检验不合格\uff1a{inspection.lot.code}"
    assert "不合格项\uff1a水分" in chinese.body  # the characteristic in the reader's words
    assert "Failed: Moisture" in english.body
    assert english.subject == f"Inspection failed: {inspection.lot.code}"
    assert f"/lots/{inspection.lot.code}/" in english.body
    (post,) = received
    delivery = Delivery.objects.get(webhook__isnull=False)
    assert post["headers"]["X-Tracelot-Delivery"] == str(delivery.delivery_id)
    assert post["headers"]["X-Tracelot-Signature"] == tracelot_signature("whsec", post["body"])
    body = json.loads(post["body"])
    assert body["alert"]["lots"] == [inspection.lot.code]
    assert body["alert"]["condition"] == "inspection_failed"


def test_a_failing_receiver_gets_it_again_later_with_the_same_delivery_id(rule, failed, receiver):
    _url, received, answers = receiver
    answers.extend([(500, b"busy"), (502, b"bad gateway")])
    failed(MOIST=Decimal("15"))
    jobs_run()
    delivery = Delivery.objects.get(webhook__isnull=False)
    assert delivery.status == DeliveryStatus.PENDING  # the first attempt got 500
    assert deliver(delivery.pk) == DeliveryStatus.PENDING  # the retry job: 502
    assert deliver(delivery.pk) == DeliveryStatus.DELIVERED
    assert deliver(delivery.pk) == DeliveryStatus.DELIVERED  # a repeat sends nothing
    ids = {r["headers"]["X-Tracelot-Delivery"] for r in received}
    assert ids == {str(delivery.delivery_id)}
    assert len(received) == 3
    assert [(a.status_code, a.ok) for a in delivery.tries.order_by("at")] == [
        (500, False), (502, False), (200, True)
    ]  # fmt: skip
    assert backoff(1).total_seconds() == 30
    assert backoff(2).total_seconds() == 60
    assert backoff(20).total_seconds() == 3600


def test_a_failed_delivery_is_due_again_after_its_back_off_and_swept_by_the_schedule(
    rule, failed, receiver
):
    _url, received, answers = receiver
    answers.append((503, b"down"))
    failed(MOIST=Decimal("15"))
    jobs_run()
    delivery = Delivery.objects.get(webhook__isnull=False)
    assert delivery.next_at == delivery.tries.get().at + timedelta(seconds=30)
    assert deliveries_send() == 0  # not due yet
    with time_machine.travel(delivery.next_at + timedelta(seconds=1)):
        assert deliveries_send() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(received)) == (DeliveryStatus.DELIVERED, 2, 2)
    from tracelot.core.jobs import app_schedules

    sweep = next(s for s in app_schedules() if s.func.endswith("delivery.deliveries_send"))
    assert sweep.every_minutes == 1


def test_a_delivery_claimed_by_a_killed_worker_is_sent_once_its_claim_runs_out(
    rule, failed, receiver, settings
):
    _url, received, _answers = receiver
    failed(MOIST=Decimal("15"))
    jobs_run()  # raise; delivering is a job of its own, not run yet
    OrmQ.objects.all().delete()
    Delivery.objects.update(status=DeliveryStatus.PENDING, attempts=0, delivered_at=None,
                            claimed_until=clock.now() + timedelta(seconds=60))  # fmt: skip
    received.clear()
    assert deliveries_send() == 0  # another worker holds them
    with time_machine.travel(clock.now() + timedelta(seconds=61)):
        assert deliveries_send() == 3
    assert len(received) == 1  # the webhook; the two e-mails went to the outbox


def test_a_wecom_robot_gets_markdown_and_an_errcode_is_a_failure(quality_user, failed, receiver):
    url, received, answers = receiver
    robot = Webhook.objects.create(name="QA group", kind=WebhookKind.WECOM, url=url + "/wecom")
    rule = AlertRule.objects.create(code="R", name="R", condition=Condition.INSPECTION_FAILED)
    rule.webhooks.add(robot)
    answers.append((200, b'{"errcode":93000,"errmsg":"invalid webhook url"}'))
    inspection = failed(MOIST=Decimal("15"))
    jobs_run()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING  # the robot said errcode 93000
    assert deliver(delivery.pk) == DeliveryStatus.DELIVERED
    body = json.loads(received[-1]["body"])
    assert body["msgtype"] == "markdown"
    assert f"检验不合格\uff1a{inspection.lot.code}" in body["markdown"]["content"]


def test_the_bell_counts_until_read_and_an_alert_stays_until_acknowledged(
    rule, failed, quality_user, client, english
):
    failed(MOIST=Decimal("15"))
    jobs_run()
    client.force_login(quality_user)
    start = client.get(reverse("start")).content.decode()
    assert '<span class="count">1</span>' in start
    page = client.get(reverse("alerts:alert-list")).content.decode()
    assert "Inspection failed" in page
    assert '<span class="count">' not in client.get(reverse("start")).content.decode()
    alert = Alert.objects.get()
    url = reverse("alerts:alert-acknowledge", args=[alert.pk])
    refused = client.post(url, {"comment": "  "}, follow=True).content.decode()
    assert "Say what was done about it." in refused
    client.post(url, {"comment": "Lot held, supplier called"})
    alert.refresh_from_db()
    assert alert.acknowledged_by == quality_user
    assert alert.comment == "Lot held, supplier called"
    from tests.factories import OperatorFactory

    OperatorFactory(site=alert.site, user=quality_user, name="Liang Hong", name_zh="梁红")
    listed = client.get(reverse("alerts:alert-list")).content.decode()
    assert "Acknowledged by Liang Hong at" in listed  # the person, not the login
    again = client.post(url, {"comment": "again"}, follow=True).content.decode()
    assert "acknowledged this alert already" in again
    failed(key="qc-2", MOIST=Decimal("15"))
    jobs_run()
    newest = Alert.objects.latest("pk")
    listed = client.get(reverse("alerts:alert-list")).context["rows"]
    assert [row["alert"] for row in listed] == [newest, alert]  # waiting ones first


def test_someone_the_alert_was_not_sent_to_cannot_see_or_acknowledge_it(
    rule, failed, django_user_model, client
):
    failed(MOIST=Decimal("15"))
    jobs_run()
    stranger = django_user_model.objects.create_user(username="wang", password="pw-Wang-12345")
    client.force_login(stranger)
    alert = Alert.objects.get()
    assert "Inspection failed" not in client.get(reverse("alerts:alert-list")).content.decode()
    response = client.post(reverse("alerts:alert-acknowledge", args=[alert.pk]), {"comment": "x"})
    assert response.status_code == 404


def test_quality_sees_every_alert_of_its_sites_and_another_sites_user_none(
    rule, failed, django_user_model, client, site, english
):
    from tests.factories import SiteFactory

    failed(MOIST=Decimal("15"))
    jobs_run()
    auditor = django_user_model.objects.create_user(username="zhou")
    auditor.groups.add(Group.objects.get(name="auditor"))  # not a recipient of the rule
    SiteMembership.objects.create(user=auditor, site=site)
    client.force_login(auditor)
    assert "Inspection failed" not in client.get(reverse("alerts:alert-list")).content.decode()
    every = client.get(reverse("alerts:alert-list"), {"all": "1"}).content.decode()
    assert "Inspection failed" in every
    assert "Waiting for acknowledgement by its recipients." in every  # not theirs to answer
    elsewhere = django_user_model.objects.create_user(username="sun")
    elsewhere.groups.add(Group.objects.get(name="quality"))
    SiteMembership.objects.create(user=elsewhere, site=SiteFactory(code="S2", name="Two"))
    client.force_login(elsewhere)
    other = client.get(reverse("alerts:alert-list"), {"all": "1"}).content.decode()
    assert "Inspection failed" not in other
    assert "No alert at your sites." in other


def _incident_opened(quality_manager, dough_made):
    from tracelot.incidents.models import Severity, Source
    from tracelot.incidents.services import incident_open

    return incident_open(
        site=quality_manager.site, title="Complaint: metal", severity=Severity.MAJOR,
        owner=quality_manager, opened_by=quality_manager, source=Source.LOT,
        lot_ids=[dough_made["dough"].pk],
    )  # fmt: skip


def test_a_new_incident_raises_an_alert_linking_to_it(quality_user, dough_made, quality_manager):
    rule = AlertRule.objects.create(
        code="INC", name="Incident", condition=Condition.INCIDENT_OPENED
    )
    rule.users.add(quality_user)
    incident = _incident_opened(quality_manager, dough_made)
    jobs_run()
    alert = Alert.objects.get()
    assert alert.incident == incident
    assert list(alert.lots.all()) == [dough_made["dough"]]
    from tracelot.alerts.texts import alert_message

    message = alert_message(alert, "en")
    assert message.title == f"Incident opened: {incident.number} Complaint: metal"
    assert message.link.endswith(f"/incidents/{incident.number}/")


def test_a_drift_breaks_a_control_chart_rule_before_the_specification_is_crossed(
    quality_user, failed
):
    """Moisture 10-14 %: twenty steady results set the limits; then four of five readings
    beyond 1 sigma above the center line, all still in specification, raise the alert."""
    rule = AlertRule.objects.create(code="SPC", name="SPC", condition=Condition.CONTROL_CHART)
    rule.users.add(quality_user)
    steady = [12.0, 12.2, 11.9, 12.1, 12.0, 11.8, 12.1, 12.0, 11.9, 12.2] * 2
    for n, moisture in enumerate(steady):
        failed(key=f"qc-{n}", MOIST=Decimal(str(moisture)))
    jobs_run()
    assert not Alert.objects.exists()  # the baseline itself raises nothing
    drifting = [12.25, 12.3, 12.1, 12.28, 12.26]  # 1 to 2 sigma above, but one
    inspections = [
        failed(key=f"drift-{n}", MOIST=Decimal(str(moisture)))
        for n, moisture in enumerate(drifting)
    ]
    jobs_run()
    alert = Alert.objects.get(condition=Condition.CONTROL_CHART)
    assert alert.detail["rules"] == [3]  # 4 of 5 beyond 1 sigma
    assert {lot.code for lot in alert.lots.all()} == {i.lot.code for i in inspections}
    from tracelot.alerts.texts import alert_message

    message = alert_message(alert, "en")
    assert message.title == "Control chart: Moisture of Flour broke a rule"
    chinese = alert_message(alert, "zh-hans").title  # worded for the reader, not the worker
    assert chinese == "控制图\uff1a面粉的水分触发判异规则"
    assert "4 of 5 points beyond 1 sigma on one side" in message.lines


def test_the_chart_gives_its_limits_and_capability(quality_user, failed, flour_plan):
    from tracelot.quality.charts import control_chart

    for n, moisture in enumerate([12.0, 12.2, 11.9, 12.1, 12.0, 11.8, 12.1, 12.0] * 3):
        failed(key=f"qc-{n}", MOIST=Decimal(str(moisture)))
    chart = control_chart(flour_plan.characteristics.get(code="MOIST"))
    assert len(chart.points) == 24
    assert chart.limits.center == pytest.approx(12.02)  # the first 20: the baseline
    assert chart.capability.cp > 1.33  # a capable process
    assert chart.violations == []


def test_the_lot_page_loads_the_control_chart_with_this_lot_and_the_broken_rule(
    quality_user, failed, client
):
    steady = [12.0, 12.2, 11.9, 12.1, 12.0, 11.8, 12.1, 12.0, 11.9, 12.2] * 2
    for n, moisture in enumerate(steady):
        failed(key=f"qc-{n}", MOIST=Decimal(str(moisture)))
    outlier = failed(key="out", MOIST=Decimal("13.5"))  # beyond 3 sigma, within 10-14 %
    client.force_login(quality_user)
    lot_page = client.get(reverse("lotpages:lot-detail", args=[outlier.lot.code])).content.decode()
    charts_url = reverse("quality:lot-charts", args=[outlier.lot.code])
    assert f'hx-get="{charts_url}"' in lot_page
    charts = client.get(charts_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Control charts" in charts
    assert "Moisture (%)" in charts
    assert "Cpk" in charts
    assert f"This lot ({outlier.lot.code}): one point beyond 3 sigma" in charts
    assert 'class="both"' in charts  # this lot's point, and it breaks a rule
    assert charts.count("<circle") == 1


def test_containing_an_incident_raises_its_alert_once(quality_user, dough_made, quality_manager):
    from tracelot.incidents.services import incident_contain

    rule = AlertRule.objects.create(
        code="CONT", name="Contained", condition=Condition.INCIDENT_CONTAINED
    )
    rule.users.add(quality_user)
    incident = _incident_opened(quality_manager, dough_made)
    jobs_run()
    assert not Alert.objects.exists()  # opened: no rule for that here
    incident_contain(incident=incident, actor=quality_manager, key="contain")
    incident.refresh_from_db()
    incident.save()  # saved again while contained: still one alert
    jobs_run()
    alert = Alert.objects.get()
    from tracelot.alerts.texts import alert_message

    assert alert_message(alert, "en").title == (
        f"Incident contained: {incident.number} Complaint: metal"
    )


def test_a_webhook_changed_in_the_admin_needs_a_reason_and_never_writes_its_secret(admin_client):
    from tests.admin_pages import form_data
    from tracelot.audit.models import MasterDataChange

    url = reverse("admin:alerts_webhook_add")
    data = form_data(admin_client.get(url))
    data.update(name="QA group", kind=WebhookKind.WECOM, language="zh-hans", active="on",
                url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-token-1",
                secret="whsec-very-secret")  # fmt: skip
    refused = admin_client.post(url, data)
    assert refused.status_code == 200  # no reason given
    assert not Webhook.objects.exists()
    assert admin_client.post(url, {**data, "change_reason": "the QA group"}).status_code == 302
    hook = Webhook.objects.get()
    change_url = reverse("admin:alerts_webhook_change", args=[hook.pk])
    data = form_data(admin_client.get(change_url))
    data.update(secret="whsec-rotated", change_reason="rotated after a leak")
    assert admin_client.post(change_url, data).status_code == 302
    added, changed = MasterDataChange.objects.order_by("pk")
    trail = json.dumps([added.changes, changed.changes], ensure_ascii=False)
    assert "robot-token-1" not in trail
    assert "very-secret" not in trail
    assert "rotated" not in json.dumps(changed.changes)
    assert changed.changes == {"secret": ["••••••", "••••••"]}
    assert added.changes["url"][1] == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?••••••"


def test_an_inspection_is_recorded_even_when_its_alert_cannot_be_queued(
    rule, failed, monkeypatch, caplog
):
    from django.db import connection

    from tracelot.ledger.models import Event, EventKind

    def broken_queue(*args, **kwargs):
        with connection.cursor() as cursor:  # a real failed statement, as a full disk gives
            cursor.execute("SELECT * FROM no_such_table_of_jobs")

    monkeypatch.setattr("tracelot.alerts.signals.job_enqueue", broken_queue)
    inspection = failed(MOIST=Decimal("15"))
    assert Event.objects.filter(kind=EventKind.INSPECT, lot=inspection.lot).count() == 1
    assert inspection.lot.events.count() >= 2  # and the transaction went on after it
    assert not OrmQ.objects.exists()
    assert "Could not queue tracelot.alerts.checks.inspections_check" in caplog.text
