"""Fixtures for labels: a lot with a Chinese item name, and readers that get text and symbols
back out of a PDF with pypdf, poppler's pdftoppm and zxing-cpp."""

import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message
from django.contrib.auth.models import Permission
from PIL import Image
from pypdf import PdfReader

from tests.factories import ItemFactory, LotFactory
from tracelot.core.errors import Refused
from tracelot.labels.fonts import cjk_font


def require(available: bool, *, what: str, package: str) -> None:
    """Skip without `what` on a developer's machine; on CI (CI=true) fail and name the package."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing: apt-get install {package}", pytrace=False)
    pytest.skip(f"{what} is missing: install the Debian package {package}")


@pytest.fixture
def font_installed() -> None:
    try:
        cjk_font()
    except Refused:
        require(False, what="a CJK font", package="fonts-noto-cjk")


@pytest.fixture
def pdftoppm(font_installed) -> str:
    path = shutil.which("pdftoppm")
    require(path is not None, what="pdftoppm", package="poppler-utils")
    return str(path)


@pytest.fixture
def flour_lot(db):
    item = ItemFactory(code="FLOUR", name="Wheat flour", name_zh="面粉", gtin="9501101530003")
    return LotFactory(
        item=item,
        code="FL-240101-001",
        gtin="09501101530003",
        batch="FL240101",
        expires_on=dt.date(2026, 12, 31),
        quantity_on_hand=Decimal("25.5000"),
        unit="kg",
        supplier_lot="WDL-88",
    )


@pytest.fixture
def viewer_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="viewer")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="lots", codename="view_lot")
    )
    client.force_login(user)
    return client


def pdf_text(pdf: bytes) -> str:
    """Return the text of every page. pypdf reads fpdf2's CMap for CFF (OpenType) fonts one byte
    at a time and leaves a NUL before each character, which pdftotext does not; drop them."""
    import io

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def pdf_symbols(pdf: bytes, *, pdftoppm: str, directory: Path) -> list[zxingcpp.Barcode]:
    """Render the first page at 300 dpi as a printer would and decode every symbol on it."""
    source = directory / "label.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "300", "-png", "-singlefile", str(source), str(directory / "page")],
        check=True,
    )
    with Image.open(directory / "page.png") as image:
        return list(zxingcpp.read_barcodes(image))


def ais_of_element_string(text: str) -> dict[str, str]:
    """Parse what a reader returns for a GS1 symbol: HRI `(01)…`, or raw with FNC1/GS."""
    message = (
        GS1Message.parse_hri(text)
        if text.startswith("(")
        else GS1Message.parse(text.removeprefix("]d2").removeprefix("]C1"))
    )
    return {element.ai.ai: element.value for element in message.element_strings}


def ais_of_digital_link(uri: str) -> dict[str, str]:
    message = GS1DigitalLinkURI.parse(uri).as_gs1_message()
    return {element.ai.ai: element.value for element in message.element_strings}
