"""The Simplified Chinese catalogue is complete: every string in the code, translated, compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tracelot"
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

if shutil.which("msgfmt") is None:
    if os.environ.get("CI") == "true":
        pytest.fail("msgfmt is missing: apt-get install gettext", pytrace=False)
    pytest.skip(
        "msgfmt is missing: install gettext to check the catalogue", allow_module_level=True
    )


def test_every_entry_is_translated_and_none_is_fuzzy():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(PO)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
        check=True,
    )
    assert "fuzzy" not in result.stderr
    assert "untranslated" not in result.stderr


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    copy = tmp_path / "tracelot"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tracelot.config.settings"},
    )
    # msgcmp fails when the fresh extraction holds a msgid the committed catalogue lacks.
    result = subprocess.run(
        ["msgcmp", str(PO), str(copy / PO.relative_to(PACKAGE))],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, "run: make messages, then translate\n" + result.stderr


def test_the_compiled_catalogue_matches_its_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == MO.read_bytes(), "run: make messages"
