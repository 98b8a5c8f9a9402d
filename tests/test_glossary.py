"""The Chinese catalogue speaks the glossary: one word per idea (docs/glossary.md)."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "src/tracelot/locale/zh_Hans/LC_MESSAGES/django.po"
ROW = re.compile(r"^\| ([^|]+?) \| ([^|]+?) \| ([^|]*?) ?\|$")


def _glossary() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in (ROOT / "docs/glossary.md").read_text().splitlines():
        match = ROW.match(line)
        if match and match.group(1) not in ("English", "---"):
            avoid = [word.strip() for word in match.group(3).split(",") if word.strip()]
            rows.append((match.group(1), match.group(2), avoid))
    return rows


GLOSSARY = _glossary()
ENTRIES = [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_the_glossary_is_read():
    assert ("hold", "暂扣", ["冻结"]) in GLOSSARY


@pytest.mark.parametrize(("english", "chinese", "avoid"), GLOSSARY)
def test_each_term_is_translated_by_its_glossary_word(english, chinese, avoid):
    for entry in ENTRIES:
        if entry.msgid == english and entry.msgstr:
            assert entry.msgstr == chinese, entry.msgid
        for word in avoid:
            if word.isascii():
                continue  # "BOM" may stand in a Chinese sentence as the code it is
            assert word not in entry.msgstr, (entry.msgid, entry.msgstr)
