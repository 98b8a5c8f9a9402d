"""Nothing wrong enters the plant: expired supplier lots, unapproved suppliers, unreadable
labels; the expiry read from a label survives the form in both languages."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import LocationFactory, SupplierFactory
from tracelot.ledger.kinds import ONTO_HOLD, SUPPLIER_OVERRIDE
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import ApprovedSupplier

pytestmark = pytest.mark.django_db

LABEL = "(01)06901234000122(17)261209(10)WDF240518A(3103)025000"


@pytest.fixture
def desk(client_as):
    return client_as("warehouse", link_operator=True)


@pytest.fixture
def labelled_flour(flour):
    flour.gtin = "06901234000122"
    flour.save()
    return flour


def receive(client, item, supplier, **extra):
    data = {"item": item.pk, "supplier": supplier.pk, "supplier_lot": "S-1", "quantity": "25",
            "key": extra.pop("key", "r1"), **extra}  # fmt: skip
    return client.post(reverse("warehouse:receiving"), data).content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_labels_expiry_reaches_the_date_field_and_the_lot(desk, labelled_flour, language):
    page = desk.post(
        reverse("warehouse:receiving"), {"scan": LABEL}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    field = re.search(r'<input type="date" name="expires_on"[^>]*>', page).group(0)
    assert 'value="2026-12-09"' in field
    assert 'name="via" value="scan"' in page


def test_an_expired_supplier_lot_is_refused_and_nothing_is_written(desk, flour, supplier):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = receive(desk, flour, supplier, expires_on=yesterday)
    assert f"Supplier lot S-1 expired on {yesterday}: it is not received." in body
    assert not Lot.objects.exists()


def test_an_expired_supplier_lot_can_be_received_onto_hold_with_the_reason(desk, flour, supplier):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    receive(desk, flour, supplier, expires_on=yesterday, onto_hold="on")
    lot = Lot.objects.get()
    assert lot.status == LotStatus.ON_HOLD
    hold = Event.objects.get(kind=EventKind.HOLD)
    assert hold.reason == "Expired on receipt"
    assert Event.objects.get(kind=EventKind.RECEIVE).data[ONTO_HOLD] == "Expired on receipt"


def test_a_supplier_not_approved_for_the_item_is_refused(desk, flour, supplier):
    ApprovedSupplier.objects.create(item=flour, supplier=SupplierFactory(code="OTHER"))
    body = receive(desk, flour, supplier)
    assert "is not an approved supplier of Flour" in body
    assert not Lot.objects.exists()


def test_a_quality_user_may_accept_an_unapproved_supplier_with_a_reason(client_as, flour, supplier):
    ApprovedSupplier.objects.create(item=flour, supplier=SupplierFactory(code="OTHER"))
    client = client_as("quality", link_operator=True)
    page = client.get(reverse("warehouse:receiving")).content.decode()
    assert 'name="supplier_override"' in page
    receive(client, flour, supplier, supplier_override="audited 2026-11, approval pending")
    event = Event.objects.get(kind=EventKind.RECEIVE)
    assert event.data[SUPPLIER_OVERRIDE] == "audited 2026-11, approval pending"


def test_the_warehouse_cannot_override_the_approved_supplier_list(desk, flour, supplier):
    ApprovedSupplier.objects.create(item=flour, supplier=SupplierFactory(code="OTHER"))
    body = receive(desk, flour, supplier, supplier_override="trust me")
    assert "is not an approved supplier" in body
    assert not Lot.objects.exists()


def test_an_item_without_approved_suppliers_is_received_from_any(desk, flour, supplier):
    receive(desk, flour, supplier)
    assert Lot.objects.count() == 1


@pytest.mark.parametrize(
    ("scan", "says"),
    [
        ("hello there", "is not a GS1 label this page can read"),
        ("(01)09501101530003(10)B1", "No item has GTIN 09501101530003"),
    ],
)
def test_an_unreadable_scan_and_an_unknown_gtin_say_so(desk, scan, says, english):
    body = desk.post(reverse("warehouse:receiving"), {"scan": scan}).content.decode()
    assert says in body


def test_the_receipt_records_where_it_was_put_and_how_it_was_entered(desk, flour, supplier, site):
    rack = LocationFactory(site=site, code="RACK-1")
    receive(desk, flour, supplier, location=rack.pk, via="scan")
    lot = Lot.objects.get()
    event = Event.objects.get(kind=EventKind.RECEIVE)
    assert (lot.location, event.location, event.via) == (rack, rack, Via.SCAN)


def test_a_finished_item_whose_rule_needs_a_line_is_refused_in_plain_words(desk, supplier, dough):
    from tests.lots.conftest import LotRuleFactory

    LotRuleFactory(template="{item}-{line}-{seq:3}", reset="never", is_default=False, item=dough)
    body = receive(desk, dough, supplier)
    assert "is not produced on a work order" in body
    assert "needs a value" not in body
    assert not Lot.objects.exists()
