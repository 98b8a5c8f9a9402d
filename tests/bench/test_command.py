"""`tracelot bench` refuses bad options with one clear line, before building anything."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracelot.bench.runner import ScaleDatabase, scales_plan


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--max-lots", "0"], "--max-lots must be at least 100."),
        (["--scales", "abc"], "--scales takes lot counts of at least 100"),
        (["--scales", "5000", "--max-lots", "1000"], "at least two different scales"),
        (["--samples", "0"], "--samples and --orm-samples must be at least 1."),
        (["--stations", "-1"], "--stations must be 0 or more."),
        (["--json", "/no/such/folder/bench.json"], "Cannot write the report to"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(options, message, tmp_path):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("bench", *options)
    assert not (tmp_path / "bench").exists()


def test_a_bad_option_exits_non_zero_with_one_line_and_no_traceback():
    done = subprocess.run(
        [sys.executable, "-m", "tracelot.cli", "bench", "--max-lots", "0"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, TRACELOT_LANGUAGE="en"),
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == ["CommandError: --max-lots must be at least 100."]


@pytest.mark.parametrize(
    ("scales", "max_lots", "plan"),
    [
        (None, None, [10_000, 100_000, 1_000_000]),
        (None, 100_000, [10_000, 100_000]),
        (None, 5_000, [500, 5_000]),
        ("1000,200,1000", None, [200, 1_000]),
        ("20000,300000", 100_000, [20_000, 100_000]),
    ],
)
def test_scales_are_capped_by_max_lots_and_at_least_two(scales, max_lots, plan):
    assert scales_plan(scales=scales, max_lots=max_lots) == plan


def test_each_scale_gets_its_own_database(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("DATABASE_URL", raising=False)
    sqlite = ScaleDatabase.for_scale(lots=10_000, seed=7)
    assert sqlite.env()["TRACELOT_DATA_DIR"] == str(tmp_path / "bench" / "10000-7")
    assert not sqlite.built()

    monkeypatch.setenv("DATABASE_URL", "postgres://me:pw@db.example:5433/plant?sslmode=require")
    postgres = ScaleDatabase.for_scale(lots=10_000, seed=7)
    assert postgres.postgres_name == "plant_bench_10000"
    assert (
        postgres.env()["DATABASE_URL"]
        == "postgres://me:pw@db.example:5433/plant_bench_10000?sslmode=require"
    )


def test_a_sqlite_url_keeps_its_absolute_path_and_the_embedded_settings(tmp_path):
    url = f"sqlite:///{tmp_path}/plant.sqlite3"  # four slashes: an absolute path
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['NAME'], d['OPTIONS']['transaction_mode'])",
        ],
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "tracelot.config.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.split() == [str(tmp_path / "plant.sqlite3"), "IMMEDIATE"]


def test_the_bench_of_a_sqlite_url_builds_each_scale_beside_it(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/plant.sqlite3")
    scale = ScaleDatabase.for_scale(lots=10_000, seed=7)
    assert scale.postgres_name is None
    assert scale.directory == tmp_path / "bench" / "10000-7"
    assert "DATABASE_URL" not in scale.env()
    assert scale.env()["TRACELOT_DATA_DIR"] == str(tmp_path / "bench" / "10000-7")
