"""The scan station: scans fill the bill of materials; a refused scan says why, writes nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tracelot.accounts.roles import roles_sync
from tracelot.capture.models import ScanLog
from tracelot.capture.services import bom_progress, station_output_record, station_scan_input
from tracelot.ledger import services
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot

pytestmark = pytest.mark.django_db


def scan(step, text, operator, key="k", **extra):
    return station_scan_input(step=step, text=text, operator=operator, key=key, **extra)


def consumed() -> int:
    return Event.objects.filter(kind=EventKind.CONSUME).count()


def test_a_scan_consumes_what_the_order_still_needs(step, flour, receive, operator):
    lot = receive(flour, "500")  # the order needs 0.8 x 100 = 80
    answer = scan(step, lot.code, operator)
    assert answer.ok
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 420
    flour_row = next(row for row in bom_progress(step=step) if row.item_code == "FLOUR")
    assert (flour_row.required, flour_row.consumed, flour_row.complete) == (80, 80, True)


def test_a_supplier_lot_or_gs1_scan_with_a_wedge_substitute_works(step, flour, receive, operator):
    lot = receive(flour, "50")
    lot.gtin = "06901234000121"
    lot.save()
    answer = scan(step, f"]d20106901234000121^10{lot.batch}", operator, gs_substitute="^")
    assert answer.ok, answer.message


def test_the_stations_configured_substitute_is_used(step, flour, receive, operator, site):
    from tracelot.plants.models import Station

    lot = receive(flour, "50")
    lot.gtin = "06901234000121"
    lot.save()
    station = Station.objects.create(site=site, code="S-MIX", name="Mixer", gs_substitute="~")
    answer = scan(step, f"0106901234000121~10{lot.batch}", operator, station=station)
    assert answer.ok, answer.message


@pytest.mark.parametrize(
    ("setup", "code"),
    [("hold", "lot_on_hold"), ("quarantine", "lot_in_quarantine"), ("wrong", "lot_not_on_bom")],
)
def test_a_refused_scan_says_why_and_writes_nothing(
    setup, code, step, flour, cabbage, receive, operator
):
    lot = receive(cabbage if setup == "wrong" else flour, release=setup != "quarantine")
    if setup == "hold":
        services.lot_hold(lot=lot, reason="metal detector", actor=operator, key="h")
    before = consumed()
    answer = scan(step, lot.code, operator)
    assert (answer.ok, answer.code) == (False, code)
    assert lot.code in answer.message
    assert consumed() == before
    assert ScanLog.objects.get(code=code).result == "refused"


def test_a_held_lot_is_refused_in_chinese(step, flour, receive, operator, chinese):
    lot = receive(flour)
    services.lot_hold(lot=lot, reason="金属", actor=operator, key="h")
    assert "已冻结" in scan(step, lot.code, operator).message


def test_scanning_the_same_scan_twice_consumes_once(step, flour, receive, operator):
    lot = receive(flour, "500")
    scan(step, lot.code, operator, key="same")
    scan(step, lot.code, operator, key="same")
    assert consumed() == 1


def test_a_complete_component_refuses_more(step, flour, receive, operator):
    scan(step, receive(flour, "500").code, operator, key="a")
    answer = scan(step, receive(flour, "500").code, operator, key="b")
    assert answer.code == "component_complete"


def test_the_output_lot_gets_a_code_from_the_rules_and_its_inputs(step, flour, receive, operator):
    scan(step, receive(flour, "500").code, operator)
    lot = station_output_record(step=step, quantity=Decimal(100), operator=operator, key="out")
    assert lot.code.startswith("DOUGH-")
    assert Lot.objects.get(pk=lot.pk).work_order == step.work_order


@pytest.fixture
def station_client(client_as):
    return client_as("operator", link_operator=True)


def test_the_station_page_shows_the_responsible_person_and_the_bom(station_client, step):
    url = reverse("capture:station-step", args=[step.work_order.number, step.sequence])
    body = station_client.get(url).content.decode()
    assert "Zhang Min" in body
    assert "FLOUR" in body or "Flour" in body
    assert "autofocus" in body


def test_a_scan_post_answers_with_a_green_panel(station_client, step, flour, receive):
    lot = receive(flour, "500")
    url = reverse("capture:station-scan", args=[step.work_order.number, step.sequence])
    body = station_client.post(
        url, {"scan": lot.code, "key": "x"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "panel ok" in body


def test_the_output_form_records_a_lot_and_offers_its_label(station_client, step, flour, receive):
    url = reverse("capture:station-output", args=[step.work_order.number, step.sequence])
    body = station_client.post(url, {"quantity": "100", "key": "o"}).content.decode()
    lot = Lot.objects.get(work_order=step.work_order)
    assert reverse("labels:lot-label-pdf", args=[lot.code]) in body


def test_a_warehouse_user_cannot_use_the_station(client, django_user_model, step):
    roles_sync()
    user = django_user_model.objects.create_user(username="wh")
    user.groups.add(Group.objects.get(name="warehouse"))
    client.force_login(user)
    url = reverse("capture:station-step", args=[step.work_order.number, step.sequence])
    assert client.get(url).status_code == 403


def test_a_key_reused_for_another_lot_is_refused(step, flour, pork, receive, operator):
    scan(step, receive(flour, "500").code, operator, key="same")
    answer = scan(step, receive(pork, "500").code, operator, key="same")
    assert answer.code == "key_reused"
    assert consumed() == 1
