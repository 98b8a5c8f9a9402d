"""Lot label downloads: PDF for label printers and A4 sheets, ZPL for thermal printers."""

from typing import cast

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.labels.pdf import LAYOUTS, Layout, label_pdf
from tracelot.labels.zpl import label_zpl
from tracelot.lots.selectors import lot_get_for_user


def _refusal(refusal: Refused) -> HttpResponse:
    # A missing font is the server's fault (503); a GTIN or batch a barcode cannot hold is the
    # lot's (422). Either way the user reads why, in their language.
    status = 503 if refusal.code == "label_font_missing" else 422
    return HttpResponse(refusal.message, status=status, content_type="text/plain; charset=utf-8")


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_label_pdf(request: HttpRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    layout = request.GET.get("layout", "label")
    if layout not in LAYOUTS:
        return HttpResponseBadRequest(
            gettext("Unknown label layout %(layout)s: use label or a4.") % {"layout": layout}
        )
    try:
        pdf = label_pdf(lot=lot, layout=cast(Layout, layout))
    except Refused as refusal:
        return _refusal(refusal)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=False, filename=f"{lot.code}.pdf") or ""
    )
    return response


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_label_zpl(request: HttpRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    try:
        zpl = label_zpl(lot=lot)
    except Refused as refusal:
        return _refusal(refusal)
    response = HttpResponse(zpl, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{lot.code}.zpl") or ""
    )
    return response
