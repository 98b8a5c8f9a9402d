"""Ledger events are never updated or deleted, by the model, the queryset or the database."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from tracelot.ledger.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(flour, receive):
    lot = receive(flour)
    return Event.objects.filter(lot=lot).first()


def test_saving_an_existing_event_is_refused(event):
    event.reason = "rewritten"
    with pytest.raises(TypeError, match="immutable"):
        event.save()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(TypeError, match="never deleted"):
        event.delete()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(quantity=Decimal(1))
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_event SET quantity = 1 WHERE id = %s",
        "DELETE FROM ledger_event WHERE id = %s",
    ],
)
def test_the_database_rejects_raw_update_and_delete(event, sql):
    with pytest.raises(DatabaseError, match="ledger events are"), transaction.atomic():
        connection.cursor().execute(sql, [event.pk])
    assert Event.objects.filter(pk=event.pk, quantity=event.quantity).exists()
