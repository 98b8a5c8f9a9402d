"""An older install's records, written before the chain key, are checked and adopted once
(`tracelot keys --adopt`); from then on verify vouches for them, and finds any change made
to them after the adoption."""

import hashlib
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tracelot.audit.models import Adoption, MasterDataChange
from tracelot.audit.trail import trail_verify
from tracelot.core import clock
from tracelot.core.links import GENESIS, link_payload
from tracelot.ledger import services
from tracelot.ledger.legacy import LEGACY_FIELDS
from tracelot.ledger.models import Event
from tracelot.ledger.selectors import ledger_verify

pytestmark = pytest.mark.django_db


def _sql(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _triggers_off(table: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks pending
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def _link_as_before_the_key(site, *, quantity_of: str | None = None) -> None:
    """Make the site's ledger what an older install wrote: plain SHA-256 links, no seal
    (optionally with one event's quantity changed, linked again the only way it can be)."""
    _triggers_off("ledger_event")
    previous = GENESIS
    for event in Event.objects.filter(site=site).order_by("chain_position"):
        if event.key == quantity_of:
            event.quantity = Decimal("2.5")
        values = [getattr(event, name) for name in LEGACY_FIELDS]
        digest = hashlib.sha256(link_payload(values, previous)).hexdigest()
        _sql(
            "UPDATE ledger_event SET quantity = %s, previous_hash = %s, hash = %s, "
            "seal_key = '' WHERE id = %s",
            [event.quantity, previous, digest, event.pk],
        )
        previous = digest
    _sql("UPDATE ledger_chainhead SET hash = %s WHERE site_id = %s", [previous, site.pk])


@pytest.fixture
def older_ledger(step, flour, receive, operator):
    lot = receive(flour)
    services.lot_consume(step=step, lot=lot, quantity=Decimal("12.5"), actor=operator, key="c")
    services.lot_produce(step=step, quantity=Decimal(12), actor=operator, key="p")
    _link_as_before_the_key(lot.site)
    return lot


def test_an_older_ledger_fails_verify_and_says_how_to_adopt_it(older_ledger, capsys, english):
    assert ledger_verify(site=older_ledger.site).broken_at == 1
    with pytest.raises(SystemExit):
        call_command("verify", "--no-lots")
    assert "tracelot keys --adopt" in capsys.readouterr().err


def test_adopted_events_verify_and_later_events_are_sealed_after_them(
    older_ledger, operator, capsys, english
):
    site = older_ledger.site
    adopted = Event.objects.filter(site=site).count()
    call_command("keys", "--adopt")
    assert f"events 1 to {adopted}" in capsys.readouterr().out
    services.lot_hold(lot=older_ledger, reason="check", actor=operator, key="h")
    report = ledger_verify(site=site)
    assert report.ok
    assert report.adopted == adopted
    assert report.events == adopted + 1
    call_command("verify", "--no-lots")
    assert f"events 1 to {adopted} as adopted" in capsys.readouterr().out
    call_command("keys", "--adopt")  # twice: nothing more to adopt
    assert "Nothing to adopt" in capsys.readouterr().out
    assert Adoption.objects.count() == 1


def test_an_adopted_event_changed_afterwards_is_found(older_ledger, operator):
    site = older_ledger.site
    call_command("keys", "--adopt")
    services.lot_hold(lot=older_ledger, reason="check", actor=operator, key="h")
    # The attacker rewrites an adopted event and links the old part again (no key needed).
    _link_as_before_the_key(site, quantity_of="c")
    assert not ledger_verify(site=site).ok


def test_an_older_ledger_that_does_not_hold_is_not_adopted(step, flour, receive, operator):
    lot = receive(flour)
    services.lot_consume(step=step, lot=lot, quantity=Decimal("12.5"), actor=operator, key="c")
    _link_as_before_the_key(lot.site)
    consume = Event.objects.get(key="c")
    _sql("UPDATE ledger_event SET quantity = 1 WHERE id = %s", [consume.pk])
    with pytest.raises(CommandError, match=f"event {consume.chain_position} does not hold"):
        call_command("keys", "--adopt")
    assert not Adoption.objects.exists()


def test_a_forged_adoption_is_not_believed(older_ledger):
    count = Event.objects.filter(site=older_ledger.site).count()
    last = Event.objects.get(site=older_ledger.site, chain_position=count)
    Adoption.objects.create(
        subject=f"ledger:{older_ledger.site.pk}",
        count=count,
        digest=last.hash,
        adopted_at=clock.now(),
        seal_key="k1",
        seal="0" * 64,
    )
    assert ledger_verify(site=older_ledger.site).broken_at == 1


def test_master_data_changes_from_before_the_chain_are_adopted(planner, flour, capsys, english):
    older = [
        MasterDataChange(
            changed_at=clock.now(),
            user=planner,
            content_type=ContentType.objects.get_for_model(flour),
            object_id=str(flour.pk),
            object_repr=str(flour),
            action="change",
            changes={"name": ["Flour", f"Flour {n}"]},
            reason="older install",
        )
        for n in range(3)
    ]
    MasterDataChange.objects.bulk_create(older)
    assert not trail_verify(MasterDataChange).unsealed_vouched
    call_command("keys", "--adopt")
    assert "3 records written before the trail was chained are adopted" in (capsys.readouterr().out)
    assert trail_verify(MasterDataChange).unsealed_vouched
    _triggers_off("audit_masterdatachange")
    _sql(
        "UPDATE audit_masterdatachange SET reason = 'quietly changed' WHERE id = %s",
        [MasterDataChange.objects.order_by("pk").first().pk],
    )
    assert not trail_verify(MasterDataChange).unsealed_vouched
