"""Symbols drawn by zint decode with zxing-cpp to what was put in."""

import io

import pytest
import zxingcpp
from PIL import Image

from tests.labels.conftest import ais_of_element_string
from tracelot.labels.symbols import SymbolKind, symbol_png, symbol_shape

ELEMENT_STRING = "[01]09501101530003[17]261231[10]FL240101"
EXPECTED_AIS = {"01": "09501101530003", "17": "261231", "10": "FL240101"}


def _decode(png: bytes) -> list[zxingcpp.Barcode]:
    with Image.open(io.BytesIO(png)) as image:
        return list(zxingcpp.read_barcodes(image))


@pytest.mark.parametrize(
    ("kind", "barcode_format"),
    [
        (SymbolKind.DATAMATRIX, zxingcpp.BarcodeFormat.DataMatrix),
        (SymbolKind.GS1_128, zxingcpp.BarcodeFormat.Code128),
    ],
)
def test_gs1_symbols_decode_to_the_element_string(kind, barcode_format):
    (barcode,) = _decode(symbol_png(kind=kind, data=ELEMENT_STRING))
    assert barcode.format == barcode_format
    assert barcode.content_type == zxingcpp.ContentType.GS1
    assert ais_of_element_string(barcode.text) == EXPECTED_AIS


def test_a_qr_code_carries_chinese_text_as_utf8():
    (barcode,) = _decode(symbol_png(kind=SymbolKind.QR, data="批号-面粉-001"))
    assert barcode.text == "批号-面粉-001"


def test_a_wrong_gtin_check_digit_is_not_drawn():
    with pytest.raises(ValueError, match="checksum"):
        symbol_shape(kind=SymbolKind.DATAMATRIX, data="[01]09501101530004[10]X")
