"""The parent side of `tracelot bench`: one database per scale, built once, measured by a child.

Each scale runs in its own process (`tracelot bench --scale-worker`) with the environment
pointing at that scale's database, so Django's settings stay the one place that picks it.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.conf import settings as django_settings
from django.core.management.base import CommandError
from django.utils.translation import gettext

from tracelot.bench.measure import Settings

DEFAULT_SCALES = (10_000, 100_000, 1_000_000)
MIN_LOTS = 100
_SQLITE_FILES = ("tracelot.sqlite3", "tracelot.sqlite3-wal", "tracelot.sqlite3-shm")


def scales_plan(*, scales: str | None, max_lots: int | None) -> list[int]:
    """The scales to run, smallest first, each capped by `max_lots`; at least two of them."""
    if max_lots is not None and max_lots < MIN_LOTS:
        raise CommandError(
            gettext("--max-lots must be at least %(minimum)s.") % {"minimum": MIN_LOTS}
        )
    wanted = list(DEFAULT_SCALES) if scales is None else _parse_scales(scales)
    cap = max_lots if max_lots is not None else max(wanted)
    plan = sorted({min(lots, cap) for lots in wanted})
    if len(plan) < 2 and scales is None and cap // 10 >= MIN_LOTS:
        plan.insert(0, cap // 10)
    if len(plan) < 2:
        raise CommandError(gettext("The benchmark needs at least two different scales."))
    return plan


def _parse_scales(text: str) -> list[int]:
    try:
        values = [int(part.strip().replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        values = []
    if not values or min(values) < MIN_LOTS:
        raise CommandError(
            gettext("--scales takes lot counts of at least %(minimum)s, such as 10000,100000.")
            % {"minimum": MIN_LOTS}
        )
    return values


def json_target(path: str | None) -> Path | None:
    """Check before any work that the report can be written to `path`."""
    if not path:
        return None
    target = Path(path).expanduser().resolve()
    writable = (
        target.parent.is_dir()
        and os.access(target.parent, os.W_OK)
        and not target.is_dir()
        and (not target.exists() or os.access(target, os.W_OK))
    )
    if not writable:
        raise CommandError(gettext("Cannot write the report to %(path)s.") % {"path": path})
    return target


@dataclass(frozen=True)
class ScaleDatabase:
    """Where one scale's plant lives: a SQLite file, or a PostgreSQL database on the server."""

    lots: int
    seed: int
    directory: Path
    postgres_name: str | None = None

    @classmethod
    def for_scale(cls, *, lots: int, seed: int) -> "ScaleDatabase":
        url = os.environ.get("DATABASE_URL", "")
        if not url:
            root = Path(django_settings.DATA_DIR) / "bench"
            return cls(lots=lots, seed=seed, directory=root / f"{lots}-{seed}")
        if urlsplit(url).scheme.startswith("sqlite"):
            # sqlite:////abs/path/file: the scales' files go beside that file.
            root = Path(dj_database_url.parse(url)["NAME"]).parent / "bench"
            return cls(lots=lots, seed=seed, directory=root / f"{lots}-{seed}")
        base = urlsplit(url).path.strip("/") or "tracelot"
        name = f"{base}_bench_{lots}"
        root = Path(django_settings.DATA_DIR) / "bench"
        return cls(lots=lots, seed=seed, directory=root / name, postgres_name=name)

    @property
    def label(self) -> str:
        return self.postgres_name or str(self.directory / _SQLITE_FILES[0])

    @property
    def marker(self) -> Path:
        return self.directory / "built.json"

    def env(self) -> dict[str, str]:
        env = dict(os.environ, TRACELOT_DATA_DIR=str(self.directory))
        if self.postgres_name is None:
            env.pop("DATABASE_URL", None)  # the embedded database in the scale's own folder
        else:
            parts = urlsplit(os.environ["DATABASE_URL"])
            env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.postgres_name}"))
        return env

    def built(self) -> bool:
        """True when a finished build of this scale and seed is there to reuse."""
        try:
            marker = json.loads(self.marker.read_text())
        except (OSError, ValueError):
            return False
        if marker.get("lots") != self.lots or marker.get("seed") != self.seed:
            return False
        if self.postgres_name is None:
            return (self.directory / _SQLITE_FILES[0]).exists()
        return self._postgres_exists()

    def reset(self) -> None:
        """Throw away whatever is there and leave an empty database to migrate."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.marker.unlink(missing_ok=True)
        if self.postgres_name is None:
            for name in _SQLITE_FILES:
                (self.directory / name).unlink(missing_ok=True)
            return
        from psycopg import sql

        with self._postgres_admin() as admin:
            identifier = sql.Identifier(self.postgres_name)
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(identifier))

    def drop(self) -> None:
        """Remove the database and its folder (a scratch one: the crash trials')."""
        shutil.rmtree(self.directory, ignore_errors=True)
        if self.postgres_name is None:
            return
        from psycopg import sql

        with self._postgres_admin() as admin:
            identifier = sql.Identifier(self.postgres_name)
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))

    def clone(self, suffix: str) -> "ScaleDatabase":
        """A copy of this (built, unused) database beside it, with its chain key."""
        name = f"{self.directory.name}_{suffix}"
        copy = replace(
            self,
            directory=self.directory.with_name(name),
            postgres_name=None if self.postgres_name is None else name,
        )
        shutil.rmtree(copy.directory, ignore_errors=True)
        shutil.copytree(self.directory, copy.directory)
        if self.postgres_name is not None:
            from psycopg import sql

            with self._postgres_admin() as admin:
                new = sql.Identifier(name)
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(new))
                admin.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        new, sql.Identifier(self.postgres_name)
                    )
                )
        return copy

    def mark_built(self, build_s: float) -> None:
        self.marker.write_text(
            json.dumps({"lots": self.lots, "seed": self.seed, "build_s": round(build_s, 1)})
        )

    def _postgres_exists(self) -> bool:
        with self._postgres_admin() as admin:
            found = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.postgres_name]
            ).fetchone()
        return found is not None

    def _postgres_admin(self) -> Any:
        import psycopg

        database = django_settings.DATABASES["default"]
        # The maintenance database: CREATE/DROP DATABASE cannot run inside a transaction.
        return psycopg.connect(
            dbname="postgres",
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            autocommit=True,
        )


FAULT_LOTS = 120


def fault_database(*, seed: int) -> ScaleDatabase:
    """A scratch plant of a few hundred lots for crash trials, built afresh each campaign
    beside the bench's plants: never the plant's own database."""
    database = ScaleDatabase.for_scale(lots=FAULT_LOTS, seed=seed)
    if database.postgres_name is not None:
        # Its own name per process: two campaigns on one server never meet.
        name = database.postgres_name.replace("_bench_", "_faults_") + f"_{os.getpid()}"
        database = replace(
            database, postgres_name=name, directory=database.directory.with_name(name)
        )
    else:
        name = f"faults-{seed}-{os.getpid()}"
        database = replace(database, directory=database.directory.with_name(name))
    database.reset()
    _child(database, ["migrate", "--noinput"], quiet=True)
    _child(database, ["demo", "--lots", str(FAULT_LOTS), "--seed", str(seed)], quiet=True)
    return database


def run_scale(*, database: ScaleDatabase, settings: Settings, rebuild: bool) -> dict[str, Any]:
    """Build `database` if needed, measure it in a child process, and return its entry."""
    build_s = None
    fresh = rebuild or not database.built()
    if fresh:
        database.reset()
    _child(database, ["migrate", "--noinput"], quiet=True)
    if fresh:
        started = time.perf_counter()
        _child(database, ["demo", "--lots", str(database.lots), "--seed", str(database.seed)])
        build_s = time.perf_counter() - started
        database.mark_built(build_s)
    with tempfile.TemporaryDirectory(prefix="tracelot-bench-") as scratch:
        out = Path(scratch) / "scale.json"
        _child(
            database,
            [
                "bench",
                "--scale-worker",
                f"--lots={database.lots}",
                f"--seed={settings.seed}",
                f"--samples={settings.samples}",
                f"--orm-samples={settings.orm_samples}",
                f"--stations={settings.stations}",
                f"--out={out}",
            ],
        )
        entry: dict[str, Any] = json.loads(out.read_text())
    entry["build_s"] = round(build_s, 1) if build_s is not None else None
    entry["seed"] = settings.seed
    return entry


def _child(database: ScaleDatabase, arguments: list[str], *, quiet: bool = False) -> None:
    command = [sys.executable or shutil.which("python3") or "python3", "-m", "tracelot.cli"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and our own command
        [*command, *arguments],
        env=database.env(),
        capture_output=quiet,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        detail = (done.stderr or "").strip().splitlines()[-1:] if quiet else []
        raise CommandError(
            gettext("`tracelot %(command)s` failed for %(lots)s lots in %(database)s%(detail)s")
            % {
                "command": arguments[0],
                "lots": database.lots,
                "database": database.label,
                "detail": f": {detail[0]}" if detail else ".",
            }
        )
