"""Checkpoints go where the plant chooses (a directory, an e-mail, a webhook), sealed with
the chain key; the chain keys are listed and rotated without losing what they sealed."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from tracelot.core.chainkeys import keyring
from tracelot.ledger.checkpoints import checkpoints_read, checkpoints_write
from tracelot.ledger.models import Event
from tracelot.ledger.selectors import ledger_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(step, flour, receive, operator):
    receive(flour)
    return step.work_order.site


@pytest.fixture
def receiver():
    """A local HTTP server that keeps what is posted to it."""
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/checkpoints", received
    server.shutdown()


def test_a_checkpoint_in_a_directory_is_sealed_and_read_back(ledger, tmp_path):
    taken, failures = checkpoints_write(to=[str(tmp_path)])
    assert failures == []
    (checkpoint,) = taken
    assert checkpoint.position == Event.objects.count() == 2
    assert checkpoint.head_hash == Event.objects.get(chain_position=2).hash
    (read,), unreadable = checkpoints_read([tmp_path])
    assert unreadable == []
    assert read.sealed()
    assert read.position == 2
    assert not list(tmp_path.glob("*.part"))  # written aside, then moved into place


def test_a_checkpoint_goes_by_e_mail_and_to_a_webhook(ledger, receiver, tmp_path):
    url, received = receiver
    _taken, failures = checkpoints_write(to=["mailto:qm@plant.example.com", url])
    assert failures == []
    (message,) = mail.outbox
    assert message.to == ["qm@plant.example.com"]
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/json"
    (path := tmp_path / name).write_text(content)
    (from_mail,), _ = checkpoints_read([path])
    assert from_mail.sealed()
    (body,) = received
    (posted,) = json.loads(body)
    assert posted["position"] == 2
    assert posted["format"] == "tracelot-checkpoint/1"


def test_a_target_that_fails_is_named_and_the_others_still_get_theirs(ledger, tmp_path):
    _taken, failures = checkpoints_write(to=["http://127.0.0.1:9/closed", str(tmp_path)])
    assert len(failures) == 1
    assert failures[0].startswith("http://127.0.0.1:9/closed")
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_the_scheduled_job_writes_checkpoints_only_when_events_were_added(
    ledger, settings, tmp_path, operator
):
    from tracelot.ledger import jobs, services
    from tracelot.lots.models import Lot

    settings.TRACELOT_CHECKPOINT_TO = str(tmp_path)
    jobs._written[0] = []
    assert jobs.checkpoints_job() == "1 checkpoints"
    assert jobs.checkpoints_job() == "unchanged"
    services.lot_hold(lot=Lot.objects.first(), reason="check", actor=operator, key="h")
    assert jobs.checkpoints_job() == "1 checkpoints"
    assert len(list(tmp_path.glob("*.json"))) == 2
    settings.TRACELOT_CHECKPOINT_TO = "http://127.0.0.1:9/closed"
    services.lot_release(lot=Lot.objects.first(), reason="fine", actor=operator, key="r")
    with pytest.raises(RuntimeError, match=r"127\.0\.0\.1:9"):
        jobs.checkpoints_job()  # shown as a failed job, and tried again


def test_the_daily_integrity_check_job_says_each_checks_count(ledger):
    from tracelot.ledger.jobs import integrity_check_job

    line = integrity_check_job()
    assert "duplicate_lots: 0" in line
    assert "projection: 0" in line


def test_the_checkpoint_command_writes_and_reports(ledger, tmp_path, capsys, english):
    call_command("checkpoint", "--to", str(tmp_path))
    out = capsys.readouterr().out
    assert "checkpoint at event 2" in out
    assert "Sent to 1 of 1 targets." in out


def test_a_rotated_key_seals_new_events_and_the_old_still_verify(
    settings, tmp_path, receive, flour, site, capsys, english
):
    settings.TRACELOT_CHAIN_KEYS = ""
    settings.TRACELOT_CHAIN_KEY_FILE = str(tmp_path / "chain-keys")
    first = keyring().current  # the key file is made with its first key
    assert (tmp_path / "chain-keys").stat().st_mode & 0o777 == 0o600
    receive(flour)
    call_command("keys", "--rotate")
    second = keyring().current
    assert second.id != first.id
    receive(flour)
    keys = list(Event.objects.order_by("chain_position").values_list("seal_key", flat=True))
    assert (keys[0], keys[-1]) == (first.id, second.id)
    assert ledger_verify(site=site).ok
    out = capsys.readouterr().out
    assert second.id in out
    assert first.secret.hex() not in out
    # Without the old key, what it sealed can no longer be vouched for.
    settings.TRACELOT_CHAIN_KEYS = f"{second.id}:{second.secret.hex()}"
    assert ledger_verify(site=site).broken_at == 1


def test_keys_from_the_environment_are_used_as_given(settings):
    settings.TRACELOT_CHAIN_KEYS = "old:" + "11" * 32 + ", new:" + "22" * 32
    ring = keyring()
    assert [k.id for k in ring.keys] == ["old", "new"]
    assert ring.current.id == "new"
    settings.TRACELOT_CHAIN_KEYS = "short:abcd"
    with pytest.raises(Exception, match="at least 32 hex digits"):
        keyring()


APPEND_ONLY_TABLES = {
    # table: its UPDATE and DELETE triggers (SQLite names; PostgreSQL has one "no_change")
    "ledger_event": ("ledger_event_no_update", "ledger_event_no_delete"),
    "audit_masterdatachange": ("audit_change_no_update", "audit_change_no_delete"),
    "audit_accessrecord": ("audit_accessrecord_no_update", "audit_accessrecord_no_delete"),
    "accounts_signature": ("accounts_signature_no_update", "accounts_signature_no_delete"),
    "accounts_signaturefailure": (
        "accounts_signaturefailure_no_update",
        "accounts_signaturefailure_no_delete",
    ),
    "audit_adoption": ("audit_adoption_no_update", "audit_adoption_no_delete"),
}


def test_every_append_only_model_is_guarded_here():
    from django.apps import apps

    from tracelot.core.models import AppendOnly

    tables = {m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnly)}
    assert tables <= set(APPEND_ONLY_TABLES)


def test_every_append_only_table_keeps_its_triggers_after_migrating():
    """Migrations that rebuild a SQLite table drop its triggers silently: all must be there,
    and on PostgreSQL they fire ALWAYS (replication mode does not turn them off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'A'"
            )
        names = {row[0] for row in cursor.fetchall()}
    for table, (no_update, no_delete) in APPEND_ONLY_TABLES.items():
        if connection.vendor == "sqlite":
            expected = {no_update, no_delete, f"{table}_no_replace"}
        else:
            change = "audit_change_no_change" if table == "audit_masterdatachange" else None
            expected = {change or f"{table}_no_change", f"{table}_no_truncate"}
        assert expected <= names, (table, expected - names)
