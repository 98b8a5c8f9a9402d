"""The label downloads: login, permission, 404, content types and file names."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _pdf_url(code: str, layout: str = "") -> str:
    url = reverse("labels:lot-label-pdf", kwargs={"code": code})
    return f"{url}?layout={layout}" if layout else url


def test_the_urls_are_the_documented_ones():
    assert _pdf_url("L-1") == "/labels/lot/L-1.pdf"
    assert reverse("labels:lot-label-zpl", kwargs={"code": "L-1"}) == "/labels/lot/L-1.zpl"


def test_an_anonymous_user_is_sent_to_sign_in(client, flour_lot):
    response = client.get(_pdf_url(flour_lot.code))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_user_without_view_lot_is_refused(client, django_user_model, flour_lot):
    client.force_login(django_user_model.objects.create_user(username="nobody"))
    assert client.get(_pdf_url(flour_lot.code)).status_code == 403
    zpl_url = reverse("labels:lot-label-zpl", kwargs={"code": flour_lot.code})
    assert client.get(zpl_url).status_code == 403


def test_an_unknown_lot_is_404(viewer_client):
    assert viewer_client.get(_pdf_url("NO-SUCH-LOT")).status_code == 404
    zpl_url = reverse("labels:lot-label-zpl", kwargs={"code": "NO-SUCH-LOT"})
    assert viewer_client.get(zpl_url).status_code == 404


@pytest.mark.parametrize("layout", ["", "label", "a4"])
def test_the_pdf_opens_inline_named_after_the_lot(viewer_client, flour_lot, font_installed, layout):
    response = viewer_client.get(_pdf_url(flour_lot.code, layout))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="FL-240101-001.pdf"'
    assert response.content.startswith(b"%PDF")


def test_an_unknown_layout_is_a_bad_request(viewer_client, flour_lot, english):
    response = viewer_client.get(_pdf_url(flour_lot.code, "letter"))
    assert response.status_code == 400
    assert "Unknown label layout letter" in response.content.decode()


def test_a_missing_font_answers_503_with_the_reason(viewer_client, flour_lot, settings, english):
    settings.TRACELOT_LABEL_FONT = "/nonexistent/font.ttc"
    response = viewer_client.get(_pdf_url(flour_lot.code))
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()


def test_the_zpl_downloads_as_utf8_text(viewer_client, flour_lot):
    response = viewer_client.get(reverse("labels:lot-label-zpl", kwargs={"code": flour_lot.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="FL-240101-001.zpl"'
    body = response.content.decode()
    assert "^BXN" in body
    assert "面粉" in body
