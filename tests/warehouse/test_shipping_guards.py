"""Nothing wrong leaves the plant: what shipping refuses, with the reason, writing nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tracelot.ledger import services
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.orders.models import OrderStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client_as):
    return client_as("warehouse", link_operator=True)


@pytest.fixture
def order(sales_order, flour):
    """A sales order for 96 kg of flour, nothing else."""
    return sales_order(flour, quantity=96, customer__name="Hema Fresh")


def ship(client, order, text, quantity="", key="", language="en"):
    url = reverse("warehouse:shipment", args=[order.number])
    data = {"scan": text, "quantity": quantity, "key": key}
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def shipments() -> int:
    return Event.objects.filter(kind=EventKind.SHIP).count()


def test_an_expired_lot_is_refused(desk, order, flour, receive):
    lot = receive(flour, "40")
    Lot.objects.filter(pk=lot.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    body = ship(desk, order, lot.code)
    assert "panel bad" in body
    assert f"Lot {lot.code} expired on" in body
    assert shipments() == 0


def test_an_item_the_order_does_not_ask_for_is_refused(desk, order, pork, receive):
    lot = receive(pork, "40")
    body = ship(desk, order, lot.code)
    assert f"Lot {lot.code} is Pork, which sales order {order.number} does not order." in body
    assert shipments() == 0


def test_more_than_the_open_quantity_is_refused_and_a_part_of_the_lot_can_ship(
    desk, order, flour, receive
):
    lot = receive(flour, "240")
    body = ship(desk, order, lot.code)
    assert f"Sales order {order.number} has 96 kg of Flour open; 240 kg is more." in body
    assert shipments() == 0
    body = ship(desk, order, lot.code, quantity="96")
    assert "panel ok" in body
    assert f"Shipped 96 kg of {lot.code}." in body
    lot.refresh_from_db()
    assert lot.quantity_on_hand == Decimal(144)
    body = ship(desk, order, lot.code, quantity="1")
    assert "has 0 kg of Flour open" in body
    assert shipments() == 1


def test_the_customers_tolerance_allows_a_little_more(desk, order, flour, receive):
    order.customer.ship_tolerance_percent = Decimal(5)
    order.customer.save()
    lot = receive(flour, "100")
    assert "panel ok" in ship(desk, order, lot.code)  # 100 <= 96 * 1.05
    order.ship_tolerance_percent = Decimal(0)  # the order's own tolerance comes first
    order.save()
    other = receive(flour, "1")
    assert "panel bad" in ship(desk, order, other.code)
    assert shipments() == 1


def test_a_lot_with_nothing_on_hand_says_where_it_went(desk, order, flour, receive):
    lot = receive(flour, "40")
    ship(desk, order, lot.code)
    shipped = Event.objects.get(kind=EventKind.SHIP)
    at = timezone.localtime(shipped.occurred_at).strftime("%Y-%m-%d %H:%M")
    body = ship(desk, order, lot.code)
    assert f"Lot {lot.code} was already shipped on {order.number} at {at}." in body
    assert "must be more than zero" not in body
    assert shipments() == 1


@pytest.mark.parametrize("state", ["quarantine", "on hold"])
def test_a_lot_that_is_not_released_is_refused(desk, order, flour, receive, operator, state):
    lot = receive(flour, "40", release=False)
    if state == "on hold":
        services.lot_hold(lot=lot, reason="metal detector", actor=operator, key="h")
    body = ship(desk, order, lot.code)
    assert "panel bad" in body
    assert f"Lot {lot.code} is {'on hold' if state == 'on hold' else 'in quarantine'}" in body
    assert shipments() == 0


def test_nothing_ships_on_a_closed_order(desk, order, flour, receive):
    order.status = OrderStatus.CLOSED
    order.save()
    lot = receive(flour, "40")
    body = ship(desk, order, lot.code)
    assert f"Sales order {order.number} is closed" in body
    assert shipments() == 0


def test_an_earlier_expiring_lot_on_hand_is_pointed_out(desk, order, flour, receive):
    today = timezone.localdate()
    first = receive(flour, "40", expires_on=today + timedelta(days=10))
    later = receive(flour, "40", expires_on=today + timedelta(days=90))
    page = desk.get(reverse("warehouse:shipment", args=[order.number])).content.decode()
    assert page.index(first.code) < page.index(later.code)  # the pick list: first expiry first
    body = ship(desk, order, later.code)
    assert "panel ok" in body
    assert f"Lot {first.code} of the same item expires earlier" in body


def test_the_page_shows_ordered_shipped_and_open_per_line(desk, order, flour, receive):
    lot = receive(flour, "40")
    body = ship(desk, order, lot.code)
    row = body[body.index("order-progress") :]
    row = row[row.index("<tbody>") : row.index("</tbody>")]
    assert [cell.split("<")[0].strip() for cell in row.split("<td>")[2:5]] == [
        "96 kg",
        "40 kg",
        "56 kg",
    ]


def test_a_refusal_reads_in_chinese(desk, order, pork, receive):
    lot = receive(pork, "40")
    body = ship(desk, order, lot.code, language="zh-hans")
    assert "panel bad" in body
    assert order.number in body
    assert "不在" in body
    assert shipments() == 0


@pytest.mark.parametrize("quantity", ["abc", "-5", "0", "1e12", "0.00001", "NaN"])
def test_a_quantity_that_is_not_a_quantity_is_refused(desk, order, flour, receive, quantity):
    lot = receive(flour, "40")
    body = ship(desk, order, lot.code, quantity=quantity)
    assert "panel bad" in body
    assert "Quantity" in body
    assert shipments() == 0
