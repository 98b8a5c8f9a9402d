# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Suppliers and customers: saved with a valid GLN, each change recorded with its reason."""

import pytest
from django.utils import translation

from tests.factories import CustomerFactory
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core.errors import Refused
from tracelot.partners.models import Customer, Supplier
from tracelot.partners.services import customer_save, supplier_save

pytestmark = pytest.mark.django_db


def test_a_supplier_is_saved_and_recorded_with_who_where_and_why(by, planner):
    supplier_save(
        supplier=Supplier(code="GW", name="Golden Wheat", name_zh="金麦", gln="6901234000016"),
        reason="new flour source",
        by=by,
    )
    change = MasterDataChange.objects.get()
    assert (change.action, change.user, change.address) == (
        ChangeAction.ADDED,
        planner,
        "10.0.8.21",
    )
    assert change.changes["name_zh"] == ["", "金麦"]
    assert change.reason == "new flour source"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "GLN 6901234000010 has a wrong check digit: it should end in 6."),
        ("zh-hans", "GLN 6901234000010 的校验位不对：最后一位应为 6。"),
    ],
)
def test_a_supplier_with_a_wrong_gln_is_refused_and_nothing_is_written(by, language, message):
    with translation.override(language), pytest.raises(Refused) as refused:
        supplier_save(
            supplier=Supplier(code="GW", name="Golden Wheat", gln="6901234000010"),
            reason="new flour source",
            by=by,
        )
    assert refused.value.message == message
    assert not Supplier.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_customers_gln_change_is_recorded_before_and_after(by):
    customer = CustomerFactory(code="HEMA", gln="")
    customer.gln = "6901234000016"

    customer_save(customer=customer, reason="GLN from their EDI set-up", by=by)

    assert MasterDataChange.objects.get().changes == {"gln": ["", "6901234000016"]}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "A GLN has 13 digits; 69O1234000016 does not."),
        ("zh-hans", "GLN 应为 13 位数字，69O1234000016 不是。"),
    ],
)
def test_a_customer_gln_with_a_letter_is_refused(by, language, message):
    customer = CustomerFactory(code="HEMA", gln="")
    customer.gln = "69O1234000016"
    with translation.override(language), pytest.raises(Refused) as refused:
        customer_save(customer=customer, reason="typo", by=by)
    assert refused.value.message == message
    assert Customer.objects.get().gln == ""
