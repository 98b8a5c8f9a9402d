"""No input breaks the plant's records: what record() refuses from any caller, writing nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.ledger.test_services import counts
from tracelot.core.errors import Refused
from tracelot.ledger import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("quantity", "code"),
    [
        (Decimal("1e12"), "quantity_too_large"),
        (Decimal("1e30"), "quantity_too_large"),
        (Decimal("9" * 20), "quantity_too_large"),
        (Decimal("-1e12"), "quantity_too_large"),
        (Decimal("0.00001"), "quantity_too_precise"),
        (Decimal("123456789012.34567"), "quantity_too_large"),
        (Decimal("12345678901.23456"), "quantity_too_precise"),
        (Decimal("1234567890.12345"), "quantity_too_precise"),
        (Decimal("100000000000"), "quantity_too_large"),
        (Decimal("NaN"), "quantity_invalid"),
        (Decimal("Infinity"), "quantity_invalid"),
        (1.5, "quantity_invalid"),
    ],
)
def test_a_quantity_the_ledger_cannot_keep_exactly_is_refused(
    step, flour, receive, operator, quantity, code
):
    receive(flour)
    before = counts()
    with pytest.raises(Refused) as refusal:
        services.lot_produce(step=step, quantity=quantity, actor=operator, key="p")
    assert refusal.value.code == code
    assert counts() == before


def test_the_largest_and_finest_quantities_are_kept_and_verify(step, operator, capsys):
    for key, quantity in (("a", "99999999999.9999"), ("b", "0.0001")):
        services.lot_produce(
            step=step, quantity=Decimal(quantity), actor=operator, key=key, over_bom_reason="test"
        )
    call_command("verify")
    assert "verifies" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("key", "reason"),
    [("k\x00", "ok"), ("k" * 101, "ok"), ("k", "metal\x00detector"), ("k", "x" * 501)],
)
def test_keys_and_reasons_with_control_characters_or_too_long_are_refused(
    flour, receive, operator, key, reason
):
    lot = receive(flour)
    before = counts()
    with pytest.raises(Refused):
        services.lot_hold(lot=lot, reason=reason, actor=operator, key=key)
    assert counts() == before


def test_a_reason_may_span_lines(flour, receive, operator):
    lot = receive(flour)
    services.lot_hold(lot=lot, reason="metal detector\nline 2", actor=operator, key="h")
