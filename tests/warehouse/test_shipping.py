"""Shipping: scan lots into a shipment for a sales order; unreleased lots are refused."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tracelot.accounts.roles import roles_sync
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import LotStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouse_client(client_as):
    return client_as("warehouse", link_operator=True)


@pytest.fixture
def order(sales_order, flour):
    return sales_order(flour, customer__name="Hema Fresh")


def scan(client, order, text, key="k1"):
    url = reverse("warehouse:shipment", args=[order.number])
    return client.post(url, {"scan": text, "key": key}, HTTP_HX_REQUEST="true")


def test_scanning_a_released_lot_ships_all_of_it(warehouse_client, order, flour, receive):
    lot = receive(flour, "40")
    body = scan(warehouse_client, order, lot.code).content.decode()
    assert "panel ok" in body
    lot.refresh_from_db()
    assert lot.status == LotStatus.SHIPPED
    assert Event.objects.get(kind=EventKind.SHIP).sales_order == order


def test_an_unreleased_lot_is_refused_and_nothing_ships(
    warehouse_client, order, flour, receive, english
):
    lot = receive(flour, release=False)
    body = scan(warehouse_client, order, lot.supplier_lot).content.decode()
    assert "panel bad" in body
    assert "in quarantine and not released yet" in body
    assert not Event.objects.filter(kind=EventKind.SHIP).exists()


def test_a_double_submitted_scan_ships_once(warehouse_client, order, flour, receive):
    lot = receive(flour, "40")
    scan(warehouse_client, order, lot.code, key="same")
    scan(warehouse_client, order, lot.code, key="same")
    assert Event.objects.filter(kind=EventKind.SHIP).count() == 1
    lot.refresh_from_db()
    assert lot.quantity_on_hand == Decimal(0)


def test_an_unknown_scan_says_so(warehouse_client, order, english):
    body = scan(warehouse_client, order, "NOPE").content.decode()
    assert "No lot matches NOPE." in body


def test_an_operator_cannot_ship(client, django_user_model, order):
    roles_sync()
    user = django_user_model.objects.create_user(username="op")
    user.groups.add(Group.objects.get(name="operator"))
    client.force_login(user)
    assert client.get(reverse("warehouse:shipment", args=[order.number])).status_code == 403


def test_a_work_order_number_typed_at_the_shipping_desk_ships_nothing(
    warehouse_client, order, dough_made, english
):
    # The work order made exactly one lot: it must not resolve to it and ship it.
    number = dough_made["dough"].work_order.number
    shipped = Event.objects.filter(kind=EventKind.SHIP).count()
    body = scan(warehouse_client, order, number).content.decode()
    assert "panel bad" in body
    assert f"{number} is a work order, not a lot" in body
    assert Event.objects.filter(kind=EventKind.SHIP).count() == shipped


def test_a_lot_of_another_site_is_not_found_at_this_sites_shipping(
    warehouse_client, order, flour, operator, english
):
    from tests.factories import SiteFactory, SupplierFactory
    from tracelot.ledger import services

    elsewhere = SiteFactory(code="S2", name="Plant Two")
    lot = services.lot_receive(
        site=elsewhere, item=flour, quantity=Decimal(5), supplier=SupplierFactory(),
        supplier_lot="X-1", actor=operator, key="r2",
    ).lot  # fmt: skip
    services.lot_release(lot=lot, reason="ok", actor=operator, key="rel2")
    body = scan(warehouse_client, order, lot.code).content.decode()
    assert f"No lot matches {lot.code}." in body
    assert not Event.objects.filter(kind=EventKind.SHIP).exists()
