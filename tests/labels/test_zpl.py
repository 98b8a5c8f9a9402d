"""Lot labels as ZPL II: the DataMatrix with FNC1, the Digital Link QR and UTF-8 text."""

import re

import pytest
from biip.gs1_messages import GS1Message

from tests.factories import ItemFactory, LotFactory
from tests.labels.conftest import ais_of_digital_link
from tracelot.labels.zpl import label_zpl

pytestmark = pytest.mark.django_db


def _field_after(zpl: str, command: str) -> str:
    return re.search(re.escape(command) + r"[^\n]*?\^FD(.*?)\^FS", zpl).group(1)


def test_the_datamatrix_starts_with_fnc1_and_carries_the_gs1_data(flour_lot):
    zpl = label_zpl(lot=flour_lot)
    assert "^BXN,7,200,,,,_" in zpl  # ECC 200 with _ as the escape character
    data = _field_after(zpl, "^BXN")
    assert data.startswith("_1")
    message = GS1Message.parse(data.removeprefix("_1"))
    assert {e.ai.ai: e.value for e in message.element_strings} == {
        "01": "09501101530003",
        "17": "261231",
        "10": "FL240101",
    }


def test_the_qr_carries_the_digital_link(flour_lot):
    data = _field_after(label_zpl(lot=flour_lot), "^BQN,2,5")
    assert data == "MA,https://id.gs1.org/01/09501101530003/10/FL240101?17=261231"
    assert ais_of_digital_link(data.removeprefix("MA,"))["10"] == "FL240101"


def test_the_label_is_100_by_50_mm_at_203_dpi_with_utf8_text(flour_lot):
    zpl = label_zpl(lot=flour_lot)
    assert zpl.startswith("^XA\n^CI28\n^PW800\n^LL400\n")
    assert zpl.rstrip().endswith("^XZ")
    assert "^A@N,40,40,E:ANMDS.TTF^FB752,1,0,L^FH^FD面粉^FS" in zpl
    for text in ("Wheat flour", "LOT FL-240101-001", "BATCH FL240101", "EXPIRY 2026-12-31"):
        assert f"^FD{text}^FS" in zpl
    assert "^FDQTY 25.5 kg^FS" in zpl
    assert "^FDSUPPLIER LOT WDL-88^FS" in zpl


def test_zpl_control_characters_in_text_are_escaped_and_underscores_doubled_in_the_symbol():
    item = ItemFactory(name="Salt ^XZ ~JA", gtin="9501101530003")
    lot = LotFactory(item=item, code="S_1", batch="S_1")
    zpl = label_zpl(lot=lot)
    assert "^FDSalt _5EXZ _7EJA^FS" in zpl
    assert "^FDLOT S_5F1^FS" in zpl
    assert _field_after(zpl, "^BXN").endswith("10S__1")


def test_a_lot_without_gtin_has_no_datamatrix_and_a_qr_with_the_lot_code():
    lot = LotFactory(item=ItemFactory(gtin=""), code="RAW-9")
    zpl = label_zpl(lot=lot)
    assert "^BX" not in zpl
    assert _field_after(zpl, "^BQN,2,5") == "MA,RAW-9"
    assert "NO GTIN" in zpl
