"""One idempotency rule for every caller, inside `record()`: a repeated key with the same
request returns the first event; with a different request it is refused and writes nothing."""

from decimal import Decimal

import pytest
from django.utils import translation

from tracelot.core.errors import Refused
from tracelot.edges.models import Edge
from tracelot.ledger import services
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.ledger.recording import record
from tracelot.lots.models import Lot

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int]:
    return Event.objects.count(), Lot.objects.count(), Edge.objects.count()


def consume(step, lot, quantity, key):
    return Draft(
        kind=EventKind.CONSUME, lot=lot, quantity=Decimal(quantity), key=key, via=Via.API, step=step
    )


def test_the_same_request_again_returns_the_first_event(step, flour, receive):
    lot = receive(flour)
    first = record([consume(step, lot, 5, "k")])[0]
    before = written()
    again = record([consume(step, lot, "5.000", "k")])[0]
    assert again.pk == first.pk
    assert written() == before


@pytest.mark.parametrize(
    ("change", "value"),
    [("lot", None), ("quantity", Decimal(6)), ("kind", EventKind.SCRAP)],
)
def test_the_same_key_for_a_different_request_is_refused_and_writes_nothing(
    change, value, step, flour, receive
):
    lot, other = receive(flour), receive(flour)
    record([consume(step, lot, 5, "k")])
    before = written()
    draft = consume(step, lot, 5, "k")
    if change == "lot":
        draft.lot = other
    elif change == "quantity":
        draft.quantity = value
    else:
        draft.kind, draft.step, draft.reason = value, None, "torn"
    with pytest.raises(Refused) as refusal:
        record([draft])
    assert refusal.value.code == "key_reused"
    assert written() == before


def test_a_reused_key_is_explained_in_english_and_in_chinese(step, flour, receive):
    lot, other = receive(flour), receive(flour)
    record([consume(step, lot, 5, "k")])
    for language, words in (("en", "already used for a different request"), ("zh-hans", "已用于")):
        with translation.override(language), pytest.raises(Refused) as refusal:
            record([consume(step, other, 5, "k")])
        assert words in refusal.value.message


def test_a_batch_with_one_reused_key_writes_nothing_of_the_batch(step, flour, receive):
    lot, other = receive(flour), receive(flour)
    record([consume(step, lot, 5, "k")])
    before = written()
    with pytest.raises(Refused) as refusal:
        record([consume(step, lot, 1, "new"), consume(step, other, 5, "k")])
    assert refusal.value.code == "key_reused"
    assert written() == before


def test_two_different_requests_with_one_key_in_a_batch_are_refused(step, flour, receive):
    lot = receive(flour)
    before = written()
    with pytest.raises(Refused) as refusal:
        record([consume(step, lot, 5, "k"), consume(step, lot, 6, "k")])
    assert refusal.value.code == "key_reused"
    assert written() == before


def test_a_hold_sent_again_after_the_lot_changed_is_still_the_same_request(
    step, flour, receive, operator
):
    # The quantity of a hold is the lot's on-hand at the time, not part of the request.
    lot = receive(flour)
    first = services.lot_hold(lot=lot, reason="check", actor=operator, key="h")
    lot.refresh_from_db()
    lot.quantity_on_hand = Decimal(1)  # as a caller holding an older copy would send it
    again = services.lot_hold(lot=lot, reason="check", actor=operator, key="h")
    assert again.pk == first.pk


def test_a_receipt_sent_again_returns_the_lot_it_made(site, flour, supplier, operator):
    args = {"site": site, "item": flour, "quantity": Decimal(3), "supplier": supplier,
            "supplier_lot": "A-1", "actor": operator, "key": "r"}  # fmt: skip
    first = services.lot_receive(**args)
    assert services.lot_receive(**args).pk == first.pk
    with pytest.raises(Refused) as refusal:
        services.lot_receive(**{**args, "supplier_lot": "A-2"})
    assert refusal.value.code == "key_reused"


@pytest.mark.parametrize(("key", "code"), [("", "key_required"), ("x" * 101, "key_too_long")])
def test_a_missing_or_overlong_key_is_refused_before_anything_is_written(
    key, code, step, flour, receive
):
    lot = receive(flour)
    before = written()
    with pytest.raises(Refused) as refusal:
        record([consume(step, lot, 5, key)])
    assert refusal.value.code == code
    assert written() == before
