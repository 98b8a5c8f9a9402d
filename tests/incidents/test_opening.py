"""Opening an incident from what the quality manager has in hand: a failed inspection, a
supplier lot, a customer's complaint with photos, an item made on a line in a window."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tracelot.core import clock
from tracelot.incidents.models import Incident, Source
from tracelot.ledger import services
from tracelot.plants.models import Operator

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def manager(client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return client_as("quality", link_operator=True)


def _open(client, source, **fields):
    owner = Operator.objects.order_by("pk").first()
    data = {"source": source, "title": "Problem", "severity": "major", "owner": owner.pk}
    return client.post(reverse("incidents:incident-new-from"), {**data, **fields})


def test_from_a_failed_inspection_linked_from_the_inspection(manager, dough_made, operator):
    failed = services.lot_inspect(
        lot=dough_made["dough"], characteristic="TPC", passed=False, actor=operator, key="i"
    )
    form = manager.get(
        reverse("incidents:incident-new-from") + f"?source=inspection&inspection={failed.pk}"
    ).content.decode()
    assert f'value="{failed.pk}" selected' in form
    response = _open(manager, Source.INSPECTION, inspection=failed.pk)
    incident = Incident.objects.get()
    assert response.url == reverse("incidents:incident-detail", args=[incident.number])
    assert incident.inspection == failed
    assert list(incident.lots.values_list("lot", flat=True)) == [dough_made["dough"].pk]


def test_from_a_supplier_lot_and_a_supplier_lot_nobody_received(manager, dough_made):
    flour = dough_made["flour"]
    page = _open(manager, Source.SUPPLIER_LOT, supplier_lot="NO-SUCH").content.decode()
    assert "No lot of this site was received as supplier lot NO-SUCH" in page
    assert not Incident.objects.exists()
    _open(manager, Source.SUPPLIER_LOT, supplier_lot=flour.supplier_lot.lower())
    assert Incident.objects.get().lots.get().lot == flour


def test_from_a_complaint_with_the_label_scan_and_photos(manager, dough_made):
    dough, hema = dough_made["dough"], dough_made["order"].customer
    photo = SimpleUploadedFile("foreign-body.png", PNG, content_type="image/png")
    _open(
        manager, Source.COMPLAINT, customer=hema.pk, item=dough.item_id,
        customer_lot_text=dough.code, description="metal piece in a bag", photos=[photo],
    )  # fmt: skip
    incident = Incident.objects.get()
    assert incident.customer == hema
    assert incident.customer_lot_text == dough.code
    assert len(incident.photos) == 1
    shown = manager.get(reverse("incidents:incident-photo", args=[incident.number, 0]))
    assert b"".join(shown.streaming_content) == PNG


def test_a_complaint_about_the_wrong_product_or_with_a_file_that_is_no_photo(manager, dough_made):
    dough, hema = dough_made["dough"], dough_made["order"].customer
    page = _open(
        manager, Source.COMPLAINT, customer=hema.pk, item=dough_made["flour"].item_id,
        customer_lot_text=dough.code,
    ).content.decode()  # fmt: skip
    assert "not Flour" in page
    script = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    page = _open(
        manager, Source.COMPLAINT, customer=hema.pk, customer_lot_text=dough.code,
        photos=[script],
    ).content.decode()  # fmt: skip
    assert "x.exe is not a photo" in page
    assert not Incident.objects.exists()


def test_from_an_item_made_on_a_line_in_a_window(manager, dough_made, step):
    now = timezone.localtime(clock.now())  # the form reads the plant's local time
    fields = {
        "item": step.output_item_id,
        "line": step.work_order.line_id,
        "window_start": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "window_end": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    page = _open(manager, Source.PRODUCTION, **fields)
    assert page.status_code == 302, page.context["form"].errors
    assert Incident.objects.get().lots.get().lot == dough_made["dough"]
    backwards = {
        **fields,
        "window_start": fields["window_end"],
        "window_end": fields["window_start"],
    }
    page = _open(manager, Source.PRODUCTION, **backwards).content.decode()
    assert "ends before it starts" in page
