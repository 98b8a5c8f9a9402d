"""The trace report and the packing list: real PDFs, text read back, Chinese included."""

import io
import os
import shutil

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    # pypdf reads fpdf2's embedded CID font with a NUL before each character
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\x00", "")


@pytest.fixture
def quality_client(client_as):
    return client_as("quality", first_name="Min")


@pytest.fixture(autouse=True)
def _font_installed():
    from tracelot.labels.fonts import CANDIDATES

    if not any(path.is_file() for path in CANDIDATES):
        if os.environ.get("CI") == "true":
            pytest.fail("fonts-noto-cjk is missing: apt-get install fonts-noto-cjk")
        pytest.skip("fonts-noto-cjk is not installed (apt-get install fonts-noto-cjk)")


def test_the_forward_trace_report_names_the_customer(quality_client, dough_made):
    flour = dough_made["flour"]
    response = quality_client.get(
        reverse("reports:lot-trace-pdf", args=[flour.code]), {"direction": "forward"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"Forward trace report: {flour.code}" in text
    assert "Hema Fresh" in text
    assert dough_made["dough"].code in text


def test_the_trace_report_is_in_chinese_for_a_chinese_user(quality_client, dough_made):
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    response = quality_client.get(reverse("reports:lot-trace-pdf", args=[dough_made["dough"].code]))
    text = pdf_text(response.content)
    assert "逆向追溯报告" in text
    assert "五得利面粉厂" in text  # the supplier's Chinese name, in the embedded font


def test_the_packing_list_lists_the_shipped_lots(quality_client, dough_made):
    order = dough_made["order"]
    response = quality_client.get(reverse("reports:packing-list", args=[order.number]))
    text = pdf_text(response.content)
    assert f"Packing list {order.number}" in text
    assert dough_made["dough"].code in text
    assert "6901234000017" in text  # the customer's GLN


def test_poppler_can_render_the_report(quality_client, dough_made, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    import subprocess

    response = quality_client.get(reverse("reports:lot-trace-pdf", args=[dough_made["dough"].code]))
    source = tmp_path / "report.pdf"
    source.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(source), str(tmp_path / "page")], check=True
    )
    assert list(tmp_path.glob("page*.png"))
