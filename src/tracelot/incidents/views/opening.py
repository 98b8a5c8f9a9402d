"""Opening an incident from what the quality manager has in hand (a failed inspection, a
customer's complaint with photos, a supplier lot, an item made on a line in a time window),
and the complaint's photos, shown only to those who may see the incident."""

import mimetypes
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.incidents.forms import IncidentSourceForm
from tracelot.incidents.models import Incident, Source
from tracelot.incidents.services import (
    incident_open,
    lots_made_on_line,
    lots_of_complaint,
    lots_of_failed_inspection,
    lots_of_supplier_lot,
)
from tracelot.incidents.views.common import incident_for_user, operator_of
from tracelot.plants.models import Site

PHOTO_LIMIT = 10 * 1024 * 1024  # bytes per photo


def _resolved(site: Site, data: dict[str, Any]) -> tuple[list[int], dict[str, Any]]:
    """The lots the source names, and what the incident keeps of the source as given."""
    source = data["source"]
    if source == Source.INSPECTION:
        if data["inspection"] is None:
            raise Refused("inspection_required", _need("failed inspection"))
        return lots_of_failed_inspection(event=data["inspection"]), {
            "inspection": data["inspection"]
        }
    if source == Source.SUPPLIER_LOT:
        return lots_of_supplier_lot(site=site, text=data["supplier_lot"]), {
            "supplier_lot": data["supplier_lot"].strip()
        }
    if source == Source.COMPLAINT:
        if data["customer"] is None:
            raise Refused("customer_required", _need("customer"))
        lots = lots_of_complaint(site=site, item=data["item"], text=data["customer_lot_text"])
        return lots, {
            "customer": data["customer"],
            "item": data["item"],
            "customer_lot_text": data["customer_lot_text"].strip(),
        }
    if (
        data["item"] is None
        or data["line"] is None
        or None
        in (
            data["window_start"],
            data["window_end"],
        )
    ):
        raise Refused("production_required", _need("production"))
    lots = lots_made_on_line(
        item_id=data["item"].pk,
        line=data["line"],
        start=data["window_start"],
        end=data["window_end"],
    )
    return lots, {key: data[key] for key in ("item", "line", "window_start", "window_end")}


def _need(what: str) -> str:
    return {
        "failed inspection": gettext("Choose the failed inspection."),
        "customer": gettext("Say which customer complains."),
        "production": gettext("Give the product, the line and the time window."),
    }[what]


def _photos_check(photos: list[Any]) -> None:
    for photo in photos:
        kind = mimetypes.guess_type(photo.name)[0] or ""
        if not kind.startswith("image/") or photo.size > PHOTO_LIMIT:
            raise Refused(
                "photo_invalid",
                gettext("%(name)s is not a photo of at most 10 MB.") % {"name": photo.name},
            )


def _photos_save(incident: Incident, photos: list[Any]) -> None:
    names = [
        default_storage.save(
            f"incidents/{incident.site.code}/{incident.number}/{PurePosixPath(photo.name).name}",
            photo,
        )
        for photo in photos
    ]
    if names:
        incident.photos = names
        incident.save(update_fields=["photos"])


@login_required
@permission_required("incidents.add_incident", raise_exception=True)
def incident_new_from(request: HttpRequest) -> HttpResponse:
    person = operator_of(request)
    if person is None:
        return render(request, "quality/no_operator.html", status=403)
    site = person.site
    initial = {"owner": person, "source": request.GET.get("source") or Source.INSPECTION}
    if request.GET.get("inspection", "").isdigit():
        initial["inspection"] = int(request.GET["inspection"])
    form = IncidentSourceForm(
        request.POST or None, request.FILES or None, site_id=site.pk, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _photos_check(data["photos"])
            lot_ids, details = _resolved(site, data)
            incident = incident_open(
                site=site,
                title=data["title"],
                severity=data["severity"],
                owner=data["owner"],
                opened_by=person,
                source=data["source"],
                lot_ids=lot_ids,
                description=data["description"],
                **details,
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            _photos_save(incident, data["photos"])
            return redirect("incidents:incident-detail", number=incident.number)
    return render(request, "incidents/new_from.html", {"form": form, "site": site})


@login_required
@permission_required("incidents.view_incident", raise_exception=True)
def incident_photo(request: HttpRequest, number: str, index: int) -> FileResponse:
    incident = incident_for_user(request, number)
    if not 0 <= index < len(incident.photos):
        raise Http404
    name = incident.photos[index]
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(default_storage.open(name), content_type=kind)
