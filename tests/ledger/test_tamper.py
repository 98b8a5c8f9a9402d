"""Someone who can write to the database tries to change history; each attack is found.

The attacks are the ones a tester preparing an audit tried on the plain hash chain (issue 11):
INSERT OR REPLACE over an event, the last 100 events deleted and the head moved back, a
forged event appended with a correctly computed hash, one event rewritten and every later
hash computed again, TRUNCATE, and the triggers switched off by replication mode.
"""

import hashlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tracelot.core.chainkeys import ChainKey, keyring
from tracelot.ledger.chain import HASHED_FIELDS, event_payload
from tracelot.ledger.checkpoints import checkpoints_compare, checkpoints_read, checkpoints_write
from tracelot.ledger.models import ChainHead, Event
from tracelot.ledger.selectors import ledger_verify

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


@pytest.fixture
def ledger(step, flour, receive, operator):
    from tracelot.ledger import services

    lot = receive(flour)
    services.lot_consume(step=step, lot=lot, quantity=Decimal("12.5"), actor=operator, key="c")
    services.lot_produce(step=step, quantity=Decimal(12), actor=operator, key="p")
    return lot.site


@pytest.fixture
def long_ledger(ledger, flour, operator):
    """The ledger with 100 more events: holds and releases of one lot."""
    from tracelot.ledger import services
    from tracelot.lots.models import Lot

    lot = Lot.objects.filter(item=flour).first()
    for n in range(50):
        services.lot_hold(lot=lot, reason="check", actor=operator, key=f"h{n}")
        services.lot_release(lot=lot, reason="fine", actor=operator, key=f"r{n}")
    return ledger


def _triggers_off() -> None:
    """What an attacker with the database's owner rights does first."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("no_update", "no_delete", "no_replace"):
                cursor.execute(f"DROP TRIGGER ledger_event_{name}")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_event DISABLE TRIGGER USER")


def _sql(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _values(event: Event, **changes: object) -> list[object]:
    row = {name: getattr(event, name) for name in HASHED_FIELDS}
    row.update(changes)
    return [row[name] for name in HASHED_FIELDS]


def _plain_sha256(values: list[object], previous: str) -> str:
    """The hash a plain (unkeyed) chain would have: what anyone can compute."""
    return hashlib.sha256(event_payload(values, previous)).hexdigest()


def _rehash_from(position: int, site, seal) -> None:
    """Compute every hash from `position` on again, as the attacker would, with `seal`."""
    events = Event.objects.filter(site=site, chain_position__gte=position).order_by(
        "chain_position"
    )
    previous = Event.objects.get(site=site, chain_position=position - 1).hash
    for event in events:
        digest = seal(_values(event), previous)
        _sql(
            "UPDATE ledger_event SET previous_hash = %s, hash = %s WHERE id = %s",
            [previous, digest, event.pk],
        )
        previous = digest
    _sql("UPDATE ledger_chainhead SET hash = %s WHERE site_id = %s", [previous, site.pk])


def test_an_untouched_ledger_verifies_with_every_event_sealed(ledger):
    assert ledger_verify(site=ledger).ok
    assert set(Event.objects.values_list("seal_key", flat=True)) == {keyring().current.id}


@sqlite_only
def test_insert_or_replace_over_an_event_is_refused(ledger):
    event = Event.objects.get(key="c")
    with pytest.raises(DatabaseError, match="never replaced"), transaction.atomic():
        _sql(
            "INSERT OR REPLACE INTO ledger_event SELECT * FROM ledger_event WHERE id = %s",
            [event.pk],
        )
    assert Event.objects.get(pk=event.pk).hash == event.hash


@sqlite_only
def test_an_event_replaced_with_the_trigger_gone_breaks_the_chain_there(ledger):
    event = Event.objects.get(key="c")
    _triggers_off()
    # The attacker's copy with a smaller quantity, hashed the only way they can.
    digest = _plain_sha256(_values(event, quantity=Decimal("2.5")), event.previous_hash)
    columns = [f.column for f in Event._meta.concrete_fields]
    chosen = ["%s" if c in ("quantity", "hash") else c for c in columns]
    _sql(
        f"INSERT OR REPLACE INTO ledger_event ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(chosen)} FROM ledger_event WHERE id = %s",
        [Decimal("2.5"), digest, event.pk],
    )
    assert Event.objects.get(pk=event.pk).quantity == Decimal("2.5")  # it was replaced
    assert ledger_verify(site=ledger).broken_at == event.chain_position


def test_a_forged_event_appended_with_a_correct_plain_hash_is_found(ledger):
    last = Event.objects.order_by("-chain_position").first()
    forged = Event.objects.get(pk=last.pk)
    forged.pk = None
    forged.chain_position = last.chain_position + 1
    forged.key = "forged"
    forged.previous_hash = last.hash
    forged.hash = _plain_sha256(_values(forged), last.hash)
    Event.objects.bulk_create([forged])
    _sql(
        "UPDATE ledger_chainhead SET position = %s, hash = %s",
        [forged.chain_position, forged.hash],
    )
    report = ledger_verify(site=ledger)
    assert report.broken_at == forged.chain_position


def test_a_forged_event_sealed_with_a_made_up_key_is_found(ledger):
    last = Event.objects.order_by("-chain_position").first()
    forged = Event.objects.get(pk=last.pk)
    forged.pk, forged.key = None, "forged"
    forged.chain_position = last.chain_position + 1
    forged.previous_hash = last.hash
    guess = ChainKey(keyring().current.id, b"0" * 32)  # the right id, not the secret
    forged.hash = guess.seal(event_payload(_values(forged), last.hash))
    Event.objects.bulk_create([forged])
    assert ledger_verify(site=ledger).broken_at == forged.chain_position


def test_one_event_rewritten_and_every_later_hash_recomputed_is_found_at_it(ledger):
    consume = Event.objects.get(key="c")
    _triggers_off()
    _sql("UPDATE ledger_event SET quantity = %s WHERE id = %s", [Decimal("2.5"), consume.pk])
    _rehash_from(consume.chain_position, ledger, _plain_sha256)
    report = ledger_verify(site=ledger)
    assert report.broken_at == consume.chain_position


def test_the_last_100_events_removed_and_the_head_moved_back_are_found_by_a_checkpoint(
    long_ledger, tmp_path, english
):
    checkpoints_write(to=[str(tmp_path)])
    head = ChainHead.objects.get()
    assert head.position == 104
    cut = Event.objects.get(chain_position=4)
    _triggers_off()
    _sql("DELETE FROM ledger_event WHERE chain_position > 4")
    _sql("UPDATE ledger_chainhead SET position = 4, hash = %s", [cut.hash])
    assert ledger_verify(site=long_ledger).ok  # the chain alone cannot tell
    checkpoints, unreadable = checkpoints_read([tmp_path])
    assert unreadable == []
    (finding,) = checkpoints_compare(long_ledger, checkpoints)
    assert finding.problem == "removed"
    assert "events were removed" in finding.message
    assert "saw 104 events; the ledger now ends at event 4" in finding.message


def test_a_ledger_rewritten_with_a_stolen_key_is_found_by_the_checkpoint(ledger, tmp_path):
    checkpoints_write(to=[str(tmp_path)])
    consume = Event.objects.get(key="c")
    key = keyring().current
    _triggers_off()
    _sql("UPDATE ledger_event SET quantity = %s WHERE id = %s", [Decimal("2.5"), consume.pk])
    _rehash_from(
        consume.chain_position,
        ledger,
        lambda values, previous: key.seal(event_payload(values, previous)),
    )
    assert ledger_verify(site=ledger).ok  # with the key, every link holds again
    (finding,) = checkpoints_compare(ledger, checkpoints_read([tmp_path])[0])
    assert finding.problem == "differs"


def test_an_edited_checkpoint_is_not_believed(ledger, tmp_path):
    checkpoints_write(to=[str(tmp_path)])
    (file,) = tmp_path.glob("*.json")
    file.write_text(file.read_text().replace('"position": 4', '"position": 2'))
    (finding,) = checkpoints_compare(ledger, checkpoints_read([tmp_path])[0])
    assert finding.problem == "unsealed"


@postgres_only
def test_truncate_is_refused_even_with_the_update_triggers_in_place(ledger):
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own pending checks, not the ledger's
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        _sql("TRUNCATE ledger_event CASCADE")
    assert Event.objects.count() == 4


@postgres_only
def test_replication_mode_does_not_turn_the_triggers_off(ledger):
    _sql("SET CONSTRAINTS ALL IMMEDIATE")
    event = Event.objects.get(key="c")
    with pytest.raises(DatabaseError, match="immutable"):
        _as_replica("UPDATE ledger_event SET quantity = 1 WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        _as_replica("TRUNCATE ledger_event CASCADE")


def _as_replica(sql: str, params: list[object] | None = None) -> None:
    """Run `sql` as a replication client, which skips ordinary triggers."""
    with transaction.atomic():
        _sql("SET LOCAL session_replication_role = replica")
        _sql(sql, params)


@postgres_only
def test_an_emptied_ledger_with_its_head_gone_is_found_by_the_checkpoint(ledger, tmp_path):
    checkpoints_write(to=[str(tmp_path)])
    _sql("SET CONSTRAINTS ALL IMMEDIATE")
    _sql("ALTER TABLE ledger_event DISABLE TRIGGER ledger_event_no_truncate")
    _sql("TRUNCATE ledger_event CASCADE")
    _sql("DELETE FROM ledger_chainhead")
    report = ledger_verify(site=ledger)
    assert report.ok  # the chain alone: "0 events, it verifies"
    assert report.events == 0
    (finding,) = checkpoints_compare(ledger, checkpoints_read([tmp_path])[0])
    assert finding.problem == "removed"


def test_verify_with_checkpoints_names_what_was_removed(long_ledger, tmp_path, capsys, english):
    checkpoints_write(to=[str(tmp_path)])
    call_command("verify", "--checkpoints", str(tmp_path))
    assert "the ledger holds every event of its 1 checkpoints" in capsys.readouterr().out
    cut = Event.objects.get(chain_position=4)
    _triggers_off()
    _sql("DELETE FROM ledger_event WHERE chain_position > 4")
    _sql("UPDATE ledger_chainhead SET position = 4, hash = %s", [cut.hash])
    with pytest.raises(SystemExit):
        call_command("verify", "--checkpoints", str(tmp_path))
    err = capsys.readouterr().err
    assert "events were removed" in err
    assert "matches its checkpoints up to event 0" in err
