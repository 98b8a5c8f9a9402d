"""`tracelot backup` and `tracelot restore`: a consistent copy with a sealed checkpoint, put
back into an empty database where `tracelot verify` then proves it whole."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tracelot.core.errors import Refused
from tracelot.ledger.backups import backup_restore
from tracelot.ledger.models import Event

# pg_dump and the child process see only what is committed.
pytestmark = pytest.mark.django_db(transaction=True)


def _empty_database(tmp_path):
    """The environment of a child on an empty database of this run's engine, and its removal."""
    if connection.vendor == "sqlite":
        return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/restored.sqlite3"}, None
    import psycopg

    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restored"
    admin = psycopg.connect(
        dbname="postgres", user=settings_dict["USER"] or None, host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None, password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    user = settings_dict["USER"] or "postgres"
    host = settings_dict["HOST"] or "127.0.0.1"
    url = f"postgres://{user}@{host}:{settings_dict['PORT'] or 5432}/{name}"

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return {**os.environ, "DATABASE_URL": url}, drop


def test_a_backup_restores_into_an_empty_database_and_verifies(
    flushable_ledger, dough_made, tmp_path, capsys, english
):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert "chain heads: S1 @ " in capsys.readouterr().out
    assert (backup / "manifest.json").exists()
    assert len(list(backup.glob("checkpoint-*.json"))) == 1
    env, drop = _empty_database(tmp_path)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tracelot.cli", "restore", str(backup)],
            env={**env, "TRACELOT_LANGUAGE": "en"},
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        events = Event.objects.count()
        assert f"{events} events, the hash chain verifies" in done.stdout
        assert f"holds every event of its 1 checkpoints (the last at event {events}" in done.stdout
        assert "lots stand as their events make them" in done.stdout
    finally:
        if drop is not None:
            drop()


def test_restore_refuses_a_database_that_holds_events(
    flushable_ledger, dough_made, tmp_path, english
):
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(Refused, match="restore only into an empty database"):
        backup_restore(tmp_path / "backup")


def test_backup_refuses_a_directory_with_something_in_it(flushable_ledger, tmp_path, english):
    (tmp_path / "old.txt").write_text("keep me")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))
    assert (tmp_path / "old.txt").read_text() == "keep me"
