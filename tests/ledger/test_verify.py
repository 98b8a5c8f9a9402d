"""`tracelot verify`: the hash chain proves the ledger was not altered."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from tracelot.ledger.models import ChainHead, Event
from tracelot.ledger.selectors import ledger_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(step, flour, receive, operator):
    from tracelot.ledger import services

    lot = receive(flour)
    services.lot_consume(step=step, lot=lot, quantity=Decimal("12.5"), actor=operator, key="c")
    services.lot_produce(step=step, quantity=Decimal(12), actor=operator, key="p")
    return lot.site


def _tamper(sql: str, params: list[object]) -> None:
    """Rewrite a row behind the ledger's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER ledger_event_no_update")
            cursor.execute("DROP TRIGGER ledger_event_no_delete")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_event DISABLE TRIGGER ledger_event_no_change")
        cursor.execute(sql, params)


def test_an_untouched_ledger_verifies(ledger):
    report = ledger_verify(site=ledger)
    assert report.ok
    assert report.events == Event.objects.count() == 4


def test_an_altered_quantity_is_detected_at_its_event(ledger):
    consume = Event.objects.get(key="c")
    _tamper("UPDATE ledger_event SET quantity = %s WHERE id = %s", [Decimal("2.5"), consume.pk])
    report = ledger_verify(site=ledger)
    assert report.broken_at == consume.chain_position


def test_a_removed_last_event_is_detected_by_the_chain_head(ledger):
    last = Event.objects.order_by("-chain_position").first()
    _tamper("DELETE FROM ledger_event WHERE id = %s", [last.pk])
    report = ledger_verify(site=ledger)
    assert report.broken_at is None
    assert not report.head_matches


def test_the_command_says_the_chain_verifies(ledger, capsys, english):
    call_command("verify")
    assert "the hash chain verifies" in capsys.readouterr().out


def test_the_command_fails_on_an_altered_ledger(ledger, english):
    event = Event.objects.get(key="p")
    _tamper("UPDATE ledger_event SET reason = 'edited' WHERE id = %s", [event.pk])
    with pytest.raises(SystemExit) as exit_:
        call_command("verify")
    assert exit_.value.code == 1
    assert ChainHead.objects.get().position == 4
