"""Receiving: scan the supplier's label, receive into quarantine with the supplier lot kept."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tracelot.accounts.roles import roles_sync
from tracelot.lots.models import Lot, LotStatus
from tracelot.warehouse.labels_in import supplier_label_read

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouse_client(client_as):
    return client_as("warehouse", link_operator=True)


@pytest.mark.parametrize(
    "scan",
    [
        "(01)06901234000122(17)270131(10)WDF240518A(3103)025000",
        "]d20106901234000122172701313103025000" + "10WDF240518A",
        "0106901234000122172701313103025000" + "10WDF240518A",
        "https://id.gs1.org/01/06901234000122/10/WDF240518A?17=270131&3103=025000",
    ],
)
def test_a_supplier_label_fills_item_batch_expiry_and_quantity(flour, scan):
    flour.gtin = "06901234000122"
    flour.save()
    label = supplier_label_read(text=scan)
    assert label.item == flour
    assert label.batch == "WDF240518A"
    assert label.expires_on.isoformat() == "2027-01-31"
    assert label.quantity == Decimal("25")


def test_a_wedge_scanner_substitute_for_the_separator(flour):
    label = supplier_label_read(text="0106901234000122" + "10WDF1^17270131", gs_substitute="^")
    assert (label.batch, label.expires_on.isoformat()) == ("WDF1", "2027-01-31")


@pytest.mark.parametrize("separator", ["|", "^", "~"])
def test_a_wedge_substitute_is_found_without_being_told(flour, separator):
    flour.gtin = "6901234000122"  # kept as a GTIN-13, scanned as a GTIN-14
    flour.save()
    label = supplier_label_read(text=f"]d20106901234000122{separator}10WDF1{separator}17270131")
    assert (label.item, label.batch, label.expires_on.isoformat()) == (flour, "WDF1", "2027-01-31")


@pytest.mark.parametrize("text", ["hello", "", "(01)06901234000121(10)WDF1"])
def test_what_is_no_readable_gs1_label_fills_nothing(db, text):
    # 06901234000121 has a wrong check digit (2 is right): a misread, not a product.
    label = supplier_label_read(text=text)
    assert (label.gtin, label.batch, label.item) == ("", "", None)


def test_a_substitute_given_is_not_second_guessed(db):
    label = supplier_label_read(text="0106901234000122^10WDF1", gs_substitute="|")
    assert label.gtin == ""


def test_receiving_creates_a_quarantined_lot_and_offers_our_label(
    warehouse_client, flour, supplier
):
    response = warehouse_client.post(
        reverse("warehouse:receiving"),
        {
            "item": flour.pk,
            "supplier": supplier.pk,
            "supplier_lot": "WDF240518A",
            "quantity": "25",
            "key": "r-1",
        },
    )
    lot = Lot.objects.get(supplier_lot="WDF240518A")
    assert lot.status == LotStatus.QUARANTINE
    body = response.content.decode()
    assert lot.code in body
    assert reverse("labels:lot-label-pdf", args=[lot.code]) in body


def test_a_repeated_submit_receives_once(warehouse_client, flour, supplier):
    data = {
        "item": flour.pk,
        "supplier": supplier.pk,
        "supplier_lot": "X",
        "quantity": "1",
        "key": "same",
    }
    warehouse_client.post(reverse("warehouse:receiving"), data)
    warehouse_client.post(reverse("warehouse:receiving"), data)
    assert Lot.objects.filter(supplier_lot="X").count() == 1


def test_a_missing_quantity_is_refused_and_nothing_received(warehouse_client, flour, supplier):
    response = warehouse_client.post(
        reverse("warehouse:receiving"),
        {"item": flour.pk, "supplier": supplier.pk, "supplier_lot": "X", "key": "k"},
    )
    assert response.status_code == 200
    assert not Lot.objects.exists()


def test_an_operator_cannot_receive(client, django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(username="op")
    user.groups.add(Group.objects.get(name="operator"))
    client.force_login(user)
    assert client.get(reverse("warehouse:receiving")).status_code == 403
