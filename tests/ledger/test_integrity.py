"""The integrity check: mass balance against the bill of materials, rework included."""

from decimal import Decimal

import pytest

from tests.factories import BomLineFactory
from tracelot.ledger import services
from tracelot.ledger.integrity import unbalanced_work_orders

pytestmark = pytest.mark.django_db


def test_a_step_that_consumed_what_its_bom_says_is_balanced(step, flour, pork, receive, operator):
    flour_lot, pork_lot = receive(flour, "800"), receive(pork, "200")
    services.lot_consume(step=step, lot=flour_lot, quantity=Decimal(80), actor=operator, key="c1")
    services.lot_consume(step=step, lot=pork_lot, quantity=Decimal(20), actor=operator, key="c2")
    services.lot_produce(step=step, quantity=Decimal(100), actor=operator, key="p")
    assert unbalanced_work_orders().count == 0


def test_a_missing_component_puts_the_step_out_of_balance(step, flour, receive, operator):
    services.lot_consume(
        step=step, lot=receive(flour), quantity=Decimal(80), actor=operator, key="c1"
    )
    services.lot_produce(step=step, quantity=Decimal(100), actor=operator, key="p")
    finding = unbalanced_work_orders()
    assert finding.count == 1
    assert finding.examples == [f"{step.work_order.number}/{step.sequence}"]


def test_reworked_output_fed_back_needs_no_new_components(
    step, dough, flour, pork, receive, operator
):
    BomLineFactory(parent=dough, component=dough, quantity=Decimal("0.01"))  # rework allowed
    flour_lot, pork_lot = receive(flour, "800"), receive(pork, "200")
    services.lot_consume(step=step, lot=flour_lot, quantity=Decimal(80), actor=operator, key="c1")
    services.lot_consume(step=step, lot=pork_lot, quantity=Decimal(20), actor=operator, key="c2")
    first = services.lot_produce(step=step, quantity=Decimal(100), actor=operator, key="p1").lot
    services.lot_consume(step=step, lot=first, quantity=Decimal(30), actor=operator, key="re")
    services.lot_produce(step=step, quantity=Decimal(30), actor=operator, key="p2")
    assert unbalanced_work_orders().count == 0
