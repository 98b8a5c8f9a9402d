"""Lot labels as PDF: the text, the embedded CJK font and the symbols read back from the file."""

import io

import pytest
import zxingcpp
from pypdf import PdfReader

from tests.factories import ItemFactory, LotFactory
from tests.labels.conftest import (
    ais_of_digital_link,
    ais_of_element_string,
    pdf_symbols,
    pdf_text,
)
from tracelot.core.errors import Refused
from tracelot.labels.pdf import label_pdf

pytestmark = pytest.mark.django_db

EXPECTED_AIS = {"01": "09501101530003", "17": "261231", "10": "FL240101"}
MM = 72 / 25.4


def _embedded_font_files(pdf: bytes) -> list[str]:
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    files = []
    for font in fonts.values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            files += [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
    return files


def test_the_label_reads_back_in_chinese_with_the_english_name(flour_lot, font_installed, chinese):
    text = pdf_text(label_pdf(lot=flour_lot, layout="label"))
    for expected in ("面粉", "Wheat flour", "FL-240101-001", "09501101530003", "FL240101"):
        assert expected in text
    assert "2026-12-31" in text
    assert "25.5 kg" in text
    assert "WDL-88" in text


def test_the_label_reads_back_in_english(flour_lot, font_installed, english):
    text = pdf_text(label_pdf(lot=flour_lot, layout="label"))
    assert "Wheat flour" in text
    assert "面粉" not in text
    assert "Lot: FL-240101-001" in text
    assert "(01)09501101530003(17)261231(10)FL240101" in text


def test_the_label_page_is_100_by_50_mm_and_embeds_its_font(flour_lot, font_installed):
    pdf = label_pdf(lot=flour_lot, layout="label")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(100 * MM, abs=0.1)
    assert float(page.mediabox.height) == pytest.approx(50 * MM, abs=0.1)
    assert _embedded_font_files(pdf)


def test_the_a4_sheet_holds_ten_labels_and_embeds_its_font(flour_lot, font_installed, chinese):
    pdf = label_pdf(lot=flour_lot, layout="a4")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.1)
    assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.1)
    assert _embedded_font_files(pdf)
    assert pdf_text(pdf).count("面粉") == 10


@pytest.mark.parametrize("layout", ["label", "a4"])
def test_the_symbols_decode_to_the_gs1_data_and_the_digital_link(
    flour_lot, pdftoppm, tmp_path, layout
):
    symbols = pdf_symbols(
        label_pdf(lot=flour_lot, layout=layout), pdftoppm=pdftoppm, directory=tmp_path
    )
    datamatrices = [s for s in symbols if s.format == zxingcpp.BarcodeFormat.DataMatrix]
    qr_codes = [s for s in symbols if s.format == zxingcpp.BarcodeFormat.QRCode]
    copies = 1 if layout == "label" else 10
    assert len(datamatrices) == len(qr_codes) == copies
    for datamatrix in datamatrices:
        assert datamatrix.content_type == zxingcpp.ContentType.GS1  # FNC1 in first position
        assert ais_of_element_string(datamatrix.text) == EXPECTED_AIS
    for qr in qr_codes:
        assert qr.text == "https://id.gs1.org/01/09501101530003/10/FL240101?17=261231"
        assert ais_of_digital_link(qr.text) == EXPECTED_AIS


def test_a_lot_without_gtin_gets_a_qr_with_its_lot_code_and_says_so(pdftoppm, tmp_path, english):
    lot = LotFactory(item=ItemFactory(name="Cabbage", name_zh="白菜", gtin=""), code="RAW-7")
    pdf = label_pdf(lot=lot, layout="label")
    symbols = pdf_symbols(pdf, pdftoppm=pdftoppm, directory=tmp_path)
    assert [(s.format, s.text) for s in symbols] == [(zxingcpp.BarcodeFormat.QRCode, "RAW-7")]
    assert "No GTIN: the QR code holds the lot code only." in pdf_text(pdf)


def test_a_missing_font_is_refused_in_english(flour_lot, settings, english):
    settings.TRACELOT_LABEL_FONT = "/nonexistent/NotoSansCJK-Regular.ttc"
    with pytest.raises(Refused) as refused:
        label_pdf(lot=flour_lot, layout="label")
    assert refused.value.code == "label_font_missing"
    assert "fonts-noto-cjk" in refused.value.message
    assert refused.value.message.startswith("No font with Chinese characters is installed")


def test_a_missing_font_is_refused_in_chinese(flour_lot, settings, chinese):
    settings.TRACELOT_LABEL_FONT = "/nonexistent/NotoSansCJK-Regular.ttc"
    with pytest.raises(Refused) as refused:
        label_pdf(lot=flour_lot, layout="label")
    assert refused.value.message == (
        "服务器未安装含中文字符的字体，无法生成 PDF。请联系管理员安装 Debian 软件包 fonts-noto-cjk。"  # noqa: RUF001
    )


def test_an_unknown_layout_is_an_error(flour_lot):
    with pytest.raises(ValueError, match="layout"):
        label_pdf(lot=flour_lot, layout="letter")  # type: ignore[arg-type]
