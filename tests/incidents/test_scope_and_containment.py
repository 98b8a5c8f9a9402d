"""The suspect scope of a lot in question, and containing it in one action."""

from decimal import Decimal

import pytest

from tracelot.capture.services import station_scan_input
from tracelot.core.errors import Refused
from tracelot.incidents.containment import lots_contain
from tracelot.incidents.scope import suspect_scope
from tracelot.ledger import services
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus
from tracelot.warehouse.services import shipment_scan

pytestmark = pytest.mark.django_db

REASON = "Incident INC-261201-001: Listeria in a retail sample"


@pytest.fixture
def sibling(dough_made, step, operator):
    """A second dough from the same flour and pork, still in the plant."""
    flour, pork = dough_made["flour"], dough_made["pork"]
    flour.refresh_from_db()
    pork.refresh_from_db()
    services.lot_consume(step=step, lot=flour, quantity=Decimal(8), actor=operator, key="s1")
    services.lot_consume(step=step, lot=pork, quantity=Decimal(2), actor=operator, key="s2")
    return services.lot_produce(step=step, quantity=Decimal(10), actor=operator, key="s3").lot


def test_the_scope_goes_back_to_the_materials_and_forward_to_all_made_from_them(
    dough_made, sibling
):
    dough = dough_made["dough"]
    scope = suspect_scope(lot_ids=[dough.pk])
    assert scope.start == [dough.code]
    assert scope.materials == sorted([dough_made["flour"].code, dough_made["pork"].code])
    where = {row["code"]: row for row in scope.lots}
    assert set(where) == {
        dough.code,
        sibling.code,
        dough_made["flour"].code,
        dough_made["pork"].code,
    }
    assert where[dough.code]["status"] == LotStatus.SHIPPED
    assert where[dough.code]["shipped_to"] == ["Hema Fresh"]
    assert where[sibling.code]["status"] == LotStatus.RELEASED
    (customer,) = scope.customers
    assert (customer["name"], customer["quantity"], customer["unit"]) == ("Hema Fresh", "10", "kg")


def test_excluding_a_lot_leaves_out_what_only_it_led_to(dough_made, sibling):
    scope = suspect_scope(lot_ids=[dough_made["dough"].pk], excluded=[dough_made["dough"].pk])
    codes = {row["code"] for row in scope.lots}
    assert dough_made["dough"].code not in codes
    assert sibling.code in codes  # reached through the flour and pork still
    assert scope.customers == []


def test_containment_holds_every_lot_still_in_the_plant_and_scans_name_the_incident(
    dough_made, sibling, operator, step, sales_order
):
    scope = suspect_scope(lot_ids=[dough_made["dough"].pk])
    done = lots_contain(lot_ids=scope.lot_ids, reason=REASON, actor=operator, key="contain-1")
    assert sorted(done.held) == sorted(
        [dough_made["flour"].code, dough_made["pork"].code, sibling.code]
    )
    assert done.out_of_plant == 1  # the shipped dough
    assert Lot.objects.get(pk=sibling.pk).status == LotStatus.ON_HOLD
    holds = Event.objects.filter(kind=EventKind.HOLD, reason=REASON)
    assert holds.count() == 3

    answer = station_scan_input(
        step=step, text=dough_made["flour"].code, operator=operator, key="after"
    )
    assert not answer.ok
    assert "INC-261201-001" in answer.message
    order = sales_order(step.output_item)
    with pytest.raises(Refused, match="INC-261201-001"):
        shipment_scan(sales_order=order, text=sibling.code, actor=operator, key="ship-after")

    again = lots_contain(lot_ids=scope.lot_ids, reason=REASON, actor=operator, key="contain-1")
    assert again.held == []
    assert holds.count() == 3  # sent twice, held once


def test_containment_is_all_or_nothing(dough_made, sibling, operator):
    scope = suspect_scope(lot_ids=[dough_made["dough"].pk])
    before = Event.objects.count()
    with pytest.raises(Refused):
        lots_contain(lot_ids=scope.lot_ids, reason="bad\x00reason", actor=operator, key="c")
    assert Event.objects.count() == before
    assert Lot.objects.filter(status=LotStatus.ON_HOLD).count() == 0
