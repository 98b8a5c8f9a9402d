"""Backups that restore: a consistent copy of the database with its chain heads and a sealed
checkpoint beside it, and a restore into an empty database that `tracelot verify` then
checks against that checkpoint.

A backup is a directory: `manifest.json` (engine, time, each site's chain head), the
database (`tracelot.sqlite3` through SQLite's online backup, or `tracelot.dump` from
`pg_dump -Fc`) and the checkpoints taken just before the copy (so the copy holds at least
every event they name).
"""

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.ledger.checkpoints import checkpoints_write
from tracelot.ledger.models import ChainHead

MANIFEST = "manifest.json"
SQLITE_COPY = "tracelot.sqlite3"
POSTGRES_COPY = "tracelot.dump"


@dataclass
class BackupReport:
    directory: Path
    engine: str
    heads: dict[str, int]
    size: int


def _postgres_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump's and pg_restore's connection options for the configured database."""
    database: dict[str, Any] = dict(settings.DATABASES["default"])
    argv = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            argv += [flag, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return argv, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Refused(
            "backup_tool_missing",
            gettext("%(tool)s is not installed: sudo apt-get install postgresql-client")
            % {"tool": name},
        )
    return found


def backup_write(directory: Path) -> BackupReport:
    """Write a backup into `directory` (made; refused if it holds anything)."""
    if directory.exists() and any(directory.iterdir()):
        raise Refused(
            "backup_not_empty",
            gettext("%(path)s is not empty: give a new directory for the backup.")
            % {"path": directory},
        )
    directory.mkdir(parents=True, exist_ok=True)
    # The checkpoint first: the copy taken after it holds every event it names.
    checkpoints_write(to=[str(directory)])
    heads = dict(ChainHead.objects.values_list("site__code", "position"))
    if connection.vendor == "sqlite":
        target = directory / SQLITE_COPY
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # SQLite's online backup: one consistent copy
        copy.close()
    else:
        target = directory / POSTGRES_COPY
        argv, env = _postgres_env()
        name = str(settings.DATABASES["default"]["NAME"])
        done = subprocess.run(  # noqa: S603 - pg_dump with our own arguments
            [_tool("pg_dump"), "--format=custom", "--no-owner", *argv, f"--file={target}", name],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise Refused("backup_failed", done.stderr.strip()[-500:])
    manifest = {
        "format": "tracelot-backup/1",
        "engine": connection.vendor,
        "made_at": clock.now().isoformat(),
        "heads": heads,
        "database": target.name,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return BackupReport(directory, connection.vendor, heads, target.stat().st_size)


def _database_empty() -> bool:
    tables = connection.introspection.table_names()
    if "ledger_event" not in tables:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM ledger_event)")
        return not cursor.fetchone()[0]


def backup_restore(directory: Path) -> dict[str, Any]:
    """Restore the backup in `directory` into the configured database, which must be empty."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        raise Refused(
            "backup_unreadable",
            gettext("%(path)s holds no Tracelot backup (no manifest.json).") % {"path": directory},
        ) from None
    if manifest.get("engine") != connection.vendor:
        raise Refused(
            "backup_engine",
            gettext("This backup is of a %(engine)s database; the configured one is %(ours)s.")
            % {"engine": manifest.get("engine"), "ours": connection.vendor},
        )
    if not _database_empty():
        raise Refused(
            "restore_not_empty",
            gettext("The database already holds events: restore only into an empty database."),
        )
    source = directory / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()
        connection.close()  # the next query opens the restored database afresh
    else:
        connection.close()
        argv, env = _postgres_env()
        name = str(settings.DATABASES["default"]["NAME"])
        done = subprocess.run(  # noqa: S603 - pg_restore with our own arguments
            [_tool("pg_restore"), "--no-owner", "--clean", "--if-exists", *argv,
             f"--dbname={name}", str(source)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise Refused("restore_failed", done.stderr.strip()[-500:])
    return manifest
