"""The lots table checked against the ledger: a lot changed by SQL is named, by `verify`
and by the daily `check`."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import LocationFactory
from tracelot.ledger import services
from tracelot.ledger.integrity import lots_differing_from_the_ledger
from tracelot.ledger.projection import projection_verify
from tracelot.lots.models import Lot, LotStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(step, flour, receive, operator, site):
    """Every kind of change a lot goes through, reversals included."""
    lot = receive(flour, "100")
    cold = LocationFactory(site=site, code="COLD")
    services.lot_move(lot=lot, location=cold, actor=operator, key="m")
    services.lot_hold(lot=lot, reason="check", actor=operator, key="h")
    services.lot_release(lot=lot, reason="fine", actor=operator, key="r")
    part = services.lot_split(lot=lot, quantity=Decimal(10), actor=operator, key="s").other_lot
    services.lot_merge(source=part, target=lot, quantity=Decimal(4), actor=operator, key="mg")
    counted = services.lot_adjust(
        lot=lot, counted=Decimal(90), reason="count", actor=operator, key="a"
    )
    services.event_reverse(event=counted, reason="miscount", actor=operator, key="ra")
    services.lot_consume(step=step, lot=lot, quantity=Decimal(20), actor=operator, key="c")
    services.lot_produce(step=step, quantity=Decimal(19), actor=operator, key="p")
    services.lot_scrap(lot=part, quantity=Decimal(1), reason="torn", actor=operator, key="x")
    return lot


def test_every_lot_stands_as_its_events_make_it(busy, site):
    report = projection_verify(site=site)
    assert report.ok, report.differences
    assert report.lots == Lot.objects.count() == 3
    assert report.events > 10


def test_a_hold_released_by_sql_is_named(busy, site, english):
    services.lot_hold(lot=busy, reason="suspect", actor=busy.events.first().actor, key="h2")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE lots_lot SET status = 'released' WHERE id = %s", [busy.pk])
    report = projection_verify(site=site)
    assert report.differing == 1
    (difference,) = report.differences
    assert (difference.code, difference.field) == (busy.code, "status")
    assert (difference.stored, difference.from_ledger) == (LotStatus.RELEASED, LotStatus.ON_HOLD)
    finding = lots_differing_from_the_ledger()
    assert finding.count == 1
    assert finding.examples == [f"{busy.code} status released ≠ on_hold"]


def test_verify_names_a_lot_whose_quantity_was_changed(busy, capsys, english):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE lots_lot SET quantity_on_hand = 500 WHERE id = %s", [busy.pk])
    with pytest.raises(SystemExit):
        call_command("verify")
    err = capsys.readouterr().err
    assert "1 lots differ from what their events make them" in err
    assert f"{busy.code}: quantity_on_hand is 500" in err


def test_the_daily_check_fails_on_a_lot_changed_outside_the_ledger(busy, capsys, english):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE lots_lot SET location_id = NULL WHERE id = %s", [busy.pk])
    with pytest.raises(SystemExit):
        call_command("check")
    assert "Lots that differ from what their events make them: 1" in capsys.readouterr().out
