"""A step cannot make more than its inputs make by the bill of materials, from any caller:
one output at a time, or a batch that consumes and produces in one request."""

from decimal import Decimal

import pytest

from tests.ledger.test_services import counts
from tracelot.core.errors import Refused
from tracelot.ledger import services
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import EventKind, Via
from tracelot.ledger.recording import record
from tracelot.lots.models import Lot

pytestmark = pytest.mark.django_db


def consume(step, lot, quantity, key, operator):
    return Draft(
        kind=EventKind.CONSUME, lot=lot, quantity=Decimal(quantity), key=key, via=Via.SCAN,
        actor=operator, step=step,
    )  # fmt: skip


def produce(step, quantity, key, operator, **data):
    work_order = step.work_order
    lot = Lot(site=work_order.site, item=step.output_item, work_order=work_order)
    return Draft(
        kind=EventKind.PRODUCE, lot=lot, quantity=Decimal(quantity), key=key, via=Via.API,
        actor=operator, step=step, data=data,
    )  # fmt: skip


def test_output_with_nothing_consumed_is_refused_and_nothing_written(step, operator):
    before = counts()
    with pytest.raises(Refused) as refusal:
        services.lot_produce(step=step, quantity=Decimal(999_999), actor=operator, key="p")
    assert refusal.value.code == "output_without_inputs"
    assert "Scan its inputs first" in refusal.value.message
    assert counts() == before


def test_a_quality_user_records_output_before_its_inputs_with_a_reason(step, operator):
    event = services.lot_produce(
        step=step, quantity=Decimal(50), actor=operator, key="p", over_bom_reason="backflushed"
    )
    assert event.lot.quantity_on_hand == 50


def test_a_batch_that_consumes_then_overproduces_is_refused_whole(
    step, flour, pork, receive, operator
):
    flour_lot, pork_lot = receive(flour, "400"), receive(pork, "100")
    before = counts()
    batch = [
        consume(step, flour_lot, "400", "c1", operator),
        consume(step, pork_lot, "100", "c2", operator),
        produce(step, "999999", "p1", operator),
    ]
    with pytest.raises(Refused) as refusal:
        record(batch)
    assert refusal.value.code == "output_over_bom"
    assert counts() == before


def test_a_batch_that_consumes_then_produces_within_the_bom_is_recorded(
    step, flour, pork, receive, operator
):
    flour_lot, pork_lot = receive(flour, "400"), receive(pork, "100")
    events = record(
        [
            consume(step, flour_lot, "400", "c1", operator),
            consume(step, pork_lot, "100", "c2", operator),
            produce(step, "300", "p1", operator),
            produce(step, "200", "p2", operator),
        ]
    )
    assert [event.quantity for event in events[2:]] == [300, 200]


def test_the_second_output_of_a_batch_counts_the_first(step, flour, receive, operator):
    flour_lot = receive(flour, "400")  # makes 500 dough, 525 with the 5 % tolerance
    with pytest.raises(Refused) as refusal:
        record(
            [
                consume(step, flour_lot, "400", "c1", operator),
                produce(step, "500", "p1", operator),
                produce(step, "100", "p2", operator),
            ]
        )
    assert refusal.value.code == "output_over_bom"
    assert "500 kg recorded already" in refusal.value.message
