"""The station pages: pick a step, scan (green and red partials), record the output lot."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tracelot.accounts.roles import roles_sync
from tracelot.capture.models import ScanLog
from tracelot.ledger import services
from tracelot.ledger.models import Event
from tracelot.lots.models import Lot
from tracelot.orders.models import OrderStatus

pytestmark = pytest.mark.django_db


def url(name, step):
    return reverse(f"capture:{name}", args=[step.work_order.number, step.sequence])


def post(client, name, step, data):
    return client.post(url(name, step), data, HTTP_HX_REQUEST="true").content.decode()


def test_the_pick_page_lists_open_work_orders_searchable_by_number(station_client, step, english):
    body = station_client.get(reverse("capture:station")).content.decode()
    assert step.work_order.number in body
    assert url("station-step", step) in body
    assert (
        step.work_order.number
        not in station_client.get(reverse("capture:station"), {"q": "NO-SUCH"}).content.decode()
    )
    step.work_order.status = OrderStatus.CLOSED
    step.work_order.save()
    assert (
        step.work_order.number
        not in station_client.get(reverse("capture:station")).content.decode()
    )


def test_the_station_page_shows_the_responsible_person_and_the_bom(station_client, step, english):
    body = station_client.get(url("station-step", step)).content.decode()
    assert "Responsible:" in body
    assert "Zhang Min" in body
    assert "FLOUR" in body
    assert "PORK" in body
    assert 'id="scan" name="scan" autofocus' in body
    assert url("station-scan", step) in body
    assert "capture/station.js" in body


def test_the_station_page_names_the_responsible_person_in_chinese(station_client, step):
    response = station_client.get(url("station-step", step), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert "负责人" in body
    assert "张敏" in body


def test_a_refused_scan_answers_in_chinese(station_client, step, flour, receive, operator):
    lot = receive(flour)
    services.lot_hold(lot=lot, reason="金属", actor=operator, key="h")
    body = station_client.post(
        url("station-scan", step),
        {"scan": lot.code, "key": "k1"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert f"批次 {lot.code} 已暂扣：金属。" in body  # noqa: RUF001
    assert "已拒绝" in body


def test_a_scan_answers_with_a_green_panel_and_the_refreshed_bom(
    station_client, station_user, step, flour, receive, english
):
    lot = receive(flour, "500")
    body = post(station_client, "station-scan", step, {"scan": lot.code, "key": "k1"})
    assert 'class="panel ok"' in body
    assert f"{lot.code}: 80 kg consumed." in body
    assert '<section id="bom" hx-swap-oob="true">' in body
    assert lot.code in body.split('id="bom"')[1]
    assert 'id="scan-key" hx-swap-oob="true"' in body
    assert 'value="k1"' not in body  # the next scan gets a new key
    assert ScanLog.objects.get().user == station_user


def test_a_refused_scan_answers_with_a_red_panel_and_writes_nothing(
    station_client, step, flour, receive, operator, english
):
    lot = receive(flour)
    services.lot_hold(lot=lot, reason="metal detector", actor=operator, key="h")
    before = Event.objects.count()
    body = post(station_client, "station-scan", step, {"scan": lot.code, "key": "k1"})
    assert 'class="panel bad"' in body
    assert f"Lot {lot.code} is on hold: metal detector." in body
    assert Event.objects.count() == before


def test_the_same_scan_posted_twice_consumes_once(station_client, step, flour, receive):
    lot = receive(flour, "500")
    for _ in range(2):
        body = post(station_client, "station-scan", step, {"scan": lot.code, "key": "k1"})
        assert 'class="panel ok"' in body
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 420


def test_the_gs_substitute_set_on_the_page_is_kept_for_the_session(
    station_client, step, flour, receive
):
    lot = receive(flour, "500")
    lot.gtin = "09501101530003"
    lot.save()
    station_client.post(url("station-settings", step), {"gs": "^"})
    body = post(
        station_client,
        "station-scan",
        step,
        {"scan": f"]d20109501101530003^10{lot.batch}", "key": "k"},
    )
    assert 'class="panel ok"' in body, body


def test_the_station_chosen_on_the_page_is_logged_with_its_scans(
    station_client, step, flour, receive, station
):
    lot = receive(flour, "500")
    station_client.post(url("station-settings", step), {"station": station.code, "gs": "~"})
    post(station_client, "station-scan", step, {"scan": lot.code, "key": "k"})
    assert ScanLog.objects.get().station == station
    assert Event.objects.get(key="scan:k").station_id == station.pk


def test_the_output_form_records_a_lot_and_links_its_label(
    station_client, step, flour, receive, english
):
    post(station_client, "station-scan", step, {"scan": receive(flour).code, "key": "in"})
    body = post(station_client, "station-output", step, {"quantity": "100", "key": "o"})
    lot = Lot.objects.get(work_order=step.work_order)
    assert f"Output lot {lot.code} recorded." in body
    assert f"/labels/lot/{lot.code}.pdf" in body


def test_an_output_quantity_that_is_not_a_number_is_refused(station_client, step, english):
    body = post(station_client, "station-output", step, {"quantity": "lots", "key": "o"})
    assert "Enter the quantity as a number." in body
    assert not Lot.objects.filter(work_order=step.work_order).exists()


def test_a_user_without_an_operator_is_told_so_and_cannot_scan(
    client, django_user_model, step, flour, receive, english
):
    roles_sync()
    user = django_user_model.objects.create_user(username="newcomer")
    user.groups.add(Group.objects.get(name="operator"))
    client.force_login(user)
    message = "Your user is not linked to an operator; ask an administrator."
    assert message in client.get(url("station-step", step)).content.decode()
    body = post(client, "station-scan", step, {"scan": receive(flour).code, "key": "k"})
    assert 'class="panel bad"' in body
    assert message in body
    assert not Event.objects.filter(key="scan:k").exists()


def test_a_warehouse_user_cannot_use_the_station(client, django_user_model, step):
    roles_sync()
    user = django_user_model.objects.create_user(username="wh")
    user.groups.add(Group.objects.get(name="warehouse"))
    client.force_login(user)
    assert client.get(url("station-step", step)).status_code == 403
    assert client.post(url("station-scan", step), {"scan": "x", "key": "k"}).status_code == 403
    assert client.get(reverse("capture:station")).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, step):
    response = client.get(url("station-step", step))
    assert response.status_code == 302


@pytest.mark.parametrize("text", ["1e12", "1e30", "9" * 20, "0.00001", "123456789012.34567"])
def test_an_absurd_output_at_the_station_is_refused_and_the_plant_keeps_working(
    station_client, step, text, english
):
    from tests.ledger.test_services import counts

    before = counts()
    body = post(station_client, "station-output", step, {"quantity": text, "key": "o1"})
    assert "A quantity" in body
    assert counts() == before
    assert station_client.get(url("station-step", step)).status_code == 200


def test_a_link_does_not_change_how_the_device_reads_barcodes(station_client, step):
    station_client.get(url("station-step", step), {"gs": "|", "station": "S-MIX"})
    assert "capture.gs_substitute" not in station_client.session
    response = station_client.post(url("station-settings", step), {"gs": "|"})
    assert response.status_code == 302
    assert station_client.session["capture.gs_substitute"] == "|"


def test_an_output_far_beyond_the_inputs_is_refused_for_the_operator(
    station_client, step, flour, pork, receive, english
):
    from tests.ledger.test_services import counts

    post(station_client, "station-scan", step, {"scan": receive(flour, "400").code, "key": "a"})
    post(station_client, "station-scan", step, {"scan": receive(pork, "100").code, "key": "b"})
    before = counts()
    body = post(station_client, "station-output", step, {"quantity": "999999", "key": "o"})
    assert "is more than the inputs of this step make (100 kg" in body
    body = post(
        station_client, "station-output", step, {"quantity": "999999", "key": "o2",
                                                  "over_bom_reason": "I say so"},
    )  # fmt: skip
    assert "is more than the inputs" in body  # an operator's reason is not quality's
    assert counts() == before
    body = post(station_client, "station-output", step, {"quantity": "104", "key": "o3"})
    assert "Output lot" in body
    assert counts() != before  # within 5 %


def test_a_quality_user_records_more_output_with_a_reason(
    client_as, step, flour, receive, quality_manager
):
    from tracelot.ledger.kinds import OUTPUT_OVERRIDE
    from tracelot.ledger.models import Event, EventKind
    from tracelot.ledger.services import lot_consume

    lot = receive(flour, "400")
    lot_consume(step=step, lot=lot, quantity=Decimal(400), actor=quality_manager, key="c")
    client = client_as("quality", link_operator=True)
    page = client.get(url("station-step", step)).content.decode()
    assert 'name="over_bom_reason"' in page
    post(client, "station-output", step, {"quantity": "900", "key": "o",
                                          "over_bom_reason": "water added per recipe v2"})  # fmt: skip
    event = Event.objects.get(kind=EventKind.PRODUCE)
    assert event.data[OUTPUT_OVERRIDE] == "water added per recipe v2"


def test_the_operator_consumes_what_the_scale_says(station_client, step, flour, receive):
    from tracelot.ledger.models import Event, EventKind

    lot = receive(flour, "500")
    body = post(station_client, "station-scan", step,
                {"scan": lot.code, "weighed": "25,5", "key": "w"})  # fmt: skip
    assert 'class="panel ok"' in body
    assert Event.objects.get(kind=EventKind.CONSUME).quantity == Decimal("25.5")
    body = post(station_client, "station-scan", step,
                {"scan": lot.code, "weighed": "9999", "key": "w2"})  # fmt: skip
    assert "9,999 kg weighed, but Flour needs only 54.5 kg more." in body


def test_scrap_at_the_step_is_recorded_with_its_reason_and_step(
    station_client, step, flour, receive, english
):
    from tracelot.ledger.models import Event, EventKind

    lot = receive(flour, "50")
    body = post(station_client, "station-scrap", step,
                {"scan": lot.code, "quantity": "2", "reason": "bag torn", "key": "s"})  # fmt: skip
    assert f"{lot.code}: 2 kg scrapped." in body
    scrap = Event.objects.get(kind=EventKind.SCRAP)
    assert (scrap.reason, scrap.step, scrap.work_order) == ("bag torn", step, step.work_order)
    body = post(station_client, "station-scrap", step,
                {"scan": lot.code, "quantity": "2", "reason": " ", "key": "s2"})  # fmt: skip
    assert "A reason is required." in body
    assert Event.objects.filter(kind=EventKind.SCRAP).count() == 1
