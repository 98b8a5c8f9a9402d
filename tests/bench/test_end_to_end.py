"""`tracelot bench` end to end at two tiny scales: built once, reused, reported as a list."""

import io
import json
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.management import call_command

pytestmark = pytest.mark.slow


@pytest.fixture
def engine(monkeypatch):
    """SQLite files under the data folder, or PostgreSQL databases made and dropped here."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield "sqlite", None
        return
    parts = urlsplit(url)
    monkeypatch.setenv("DATABASE_URL", urlunsplit(parts._replace(path="/tracelot_benchtest")))
    names = ["tracelot_benchtest_bench_100", "tracelot_benchtest_bench_200"]
    yield "postgresql", names[1]
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*options: str) -> str:
    out = io.StringIO()
    call_command("bench", *options, stdout=out)
    return out.getvalue()


def test_two_scales_are_built_once_measured_and_written_as_a_list(settings, tmp_path, engine):
    vendor, postgres_name = engine
    settings.DATA_DIR = tmp_path
    report = tmp_path / "bench.json"
    # No stations: test_stations.py measures them; here they would add a minute of pauses.
    options = ("--scales", "100,200", "--samples", "3", "--orm-samples", "1", "--stations", "0")
    options = (*options, "--json")

    text = run(*options, str(report))

    entries = json.loads(report.read_text())
    assert [entry["lots"] for entry in entries] == [100, 200]
    for entry in entries:
        assert entry["database"] == vendor
        assert entry["build_s"] > 0
        assert entry["agreement"]["mismatched_lots"] == []
        assert set(entry["record_events_per_s"]) >= {"single", "batch"}
    assert (tmp_path / "bench" / (postgres_name or "200-1") / "built.json").exists()
    assert "Targets at 200 lots" in text

    run(*options, str(report))
    assert [entry["build_s"] for entry in json.loads(report.read_text())] == [None, None]
