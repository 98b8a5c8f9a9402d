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


def trace_pdf(client, code, direction="forward"):
    response = client.get(reverse("reports:lot-trace-pdf", args=[code]), {"direction": direction})
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_trace_report_is_a_recall_document(quality_client, dough_made, operator):
    """Who made it and when (plant time), the company, page numbers; per customer the lots,
    quantities, dates and sales orders; the line and shift of each lot produced."""
    from django.utils import timezone

    content = trace_pdf(quality_client, dough_made["flour"].code)
    text = pdf_text(content)
    dough, order = dough_made["dough"], dough_made["order"]
    assert "Plant One" in text  # the company: the lot's site
    assert "Page 1 of 1" in text
    assert "by Min" in text  # the person, not the login "quality"
    assert timezone.localtime().strftime("%Y-%m-%d %H:") in text  # plant time
    assert "Customer: Hema Fresh (GLN 6901234000017)" in text
    shipped = [line for line in text.splitlines() if line.startswith(dough.code)]
    assert any(order.number in line and "10 kg" in line for line in shipped)
    work_order = dough.work_order
    assert any(
        work_order.line.code in line and work_order.shift.code in line for line in shipped
    )  # lots produced: line and shift


def test_the_trace_report_names_the_operator_a_login_acts_as(client_as, dough_made, operator):
    client = client_as("auditor", link_operator=True)
    assert f"by {operator.name}" in pdf_text(trace_pdf(client, dough_made["flour"].code))


def test_no_lot_code_is_broken_across_lines(quality_client, dough_made):
    text = pdf_text(trace_pdf(quality_client, dough_made["dough"].code, "backward"))
    for lot in (dough_made["dough"], dough_made["flour"], dough_made["pork"]):
        assert lot.code in text.replace("\n", "|"), lot.code


def test_the_chinese_trace_report_has_no_english_values(quality_client, dough_made):
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    text = pdf_text(trace_pdf(quality_client, dough_made["flour"].code))
    assert "第 1 页，共 1 页" in text  # noqa: RUF001
    assert "一厂" in text  # the site's Chinese name
    assert "面粉" in text  # item and status in Chinese
    assert "已发货" in text
    for english in ("Flour", "shipped", "released", "Customer", "Page"):
        assert english not in text
