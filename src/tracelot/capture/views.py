"""The scan station pages: pick a work order step, scan inputs, record the output lot."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tracelot.capture.services import (
    ScanAnswer,
    bom_progress,
    station_output_record,
    station_scan_input,
    station_scrap_record,
)
from tracelot.core.errors import Refused
from tracelot.items.models import amount
from tracelot.ledger.keys import key_new
from tracelot.orders.models import WorkOrderStep
from tracelot.orders.selectors import work_order_list_for_user, work_order_step_get_for_user
from tracelot.plants.models import Operator, Station
from tracelot.plants.selectors import operator_for_user

# A station PC or phone is set up once (its settings form: station code, GS substitute) and
# keeps it for the session. A POST: a link must not change how a device reads barcodes.
SESSION_STATION = "capture.station"
SESSION_GS = "capture.gs_substitute"


@require_GET
@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_pick(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    orders = work_order_list_for_user(user=request.user, open_only=True)
    if query:
        orders = orders.filter(number__icontains=query)
    orders = orders.prefetch_related("steps")[:30]
    return render(request, "capture/pick.html", {"orders": orders, "q": query})


@dataclass(frozen=True)
class _Visit:
    """What every station request starts from: the step, this device's settings, who scans."""

    step: WorkOrderStep
    station: Station | None
    gs_substitute: str  # "" when the device has none set
    operator: Operator | Refused  # a user without an operator record sees why, not a 500


def _visit(request: HttpRequest, number: str, sequence: int) -> _Visit:
    """The step in the URL (404 when there is none), the device settings and the operator."""
    step = work_order_step_get_for_user(user=request.user, number=number, sequence=sequence)
    station, gs_substitute = _station_settings(request, step)
    try:
        operator: Operator | Refused = operator_for_user(user=request.user)
    except Refused as refusal:
        operator = refusal
    return _Visit(step=step, station=station, gs_substitute=gs_substitute, operator=operator)


def _station_settings(request: HttpRequest, step: WorkOrderStep) -> tuple[Station | None, str]:
    """The station this device is and the GS substitute its scanner sends ("" when unset)."""
    code = request.session.get(SESSION_STATION, "")
    station = (
        Station.objects.filter(site_id=step.work_order.site_id, code=code).first() if code else None
    )
    return station, request.session.get(SESSION_GS, "")


@require_POST
@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_settings(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    """Remember which station this device is and its scanner's GS substitute."""
    work_order_step_get_for_user(user=request.user, number=number, sequence=sequence)
    request.session[SESSION_STATION] = request.POST.get("station", "").strip()[:20]
    request.session[SESSION_GS] = request.POST.get("gs", "").strip()[:3]
    return redirect("capture:station-step", number=number, sequence=sequence)


@require_GET
@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_step(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    visit = _visit(request, number, sequence)
    context = {
        "step": visit.step,
        "station": visit.station,
        "gs_substitute": visit.gs_substitute,
        "refusal": visit.operator if isinstance(visit.operator, Refused) else None,
        "bom": bom_progress(step=visit.step),
        "key": key_new(),
        "output_key": key_new(),
    }
    return render(request, "capture/station.html", context)


@require_POST
@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_scan(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    visit = _visit(request, number, sequence)
    if isinstance(visit.operator, Refused):
        answer = ScanAnswer(ok=False, code=visit.operator.code, message=visit.operator.message)
        answer.bom = bom_progress(step=visit.step)
    else:
        answer = station_scan_input(
            step=visit.step,
            text=request.POST.get("scan", ""),
            operator=visit.operator,
            key=request.POST.get("key") or key_new(),
            station=visit.station,
            gs_substitute=visit.gs_substitute or None,
            user_id=request.user.pk,
            weighed=_weighed(request.POST.get("weighed", "")),
        )
    context = {"step": visit.step, "answer": answer, "bom": answer.bom, "key": key_new()}
    return render(request, "capture/partials/scan_answer.html", context)


def _decimal(text: str) -> Decimal:
    """A number typed at the station (a decimal comma too); NaN for what is not one."""
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return Decimal("NaN")


def _weighed(text: str) -> Decimal | None:
    """The quantity the operator weighed, or None when the field was left blank. What is not
    a number comes back as NaN, which the scan refuses (and logs) with its own message."""
    return _decimal(text) if text.strip() else None


@require_POST
@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_scrap(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    """Scrap some of a lot at the step (spilled, torn, dropped), with the reason."""
    visit = _visit(request, number, sequence)
    try:
        if isinstance(visit.operator, Refused):
            raise visit.operator
        event = station_scrap_record(
            step=visit.step,
            text=request.POST.get("scan", ""),
            quantity=_quantity(request.POST.get("quantity", "")),
            reason=request.POST.get("reason", ""),
            operator=visit.operator,
            key=request.POST.get("key") or key_new(),
            gs_substitute=visit.gs_substitute or None,
        )
        answer = ScanAnswer(
            ok=True,
            lot=event.lot,
            message=gettext("%(code)s: %(quantity)s scrapped.")
            % {"code": event.lot.code, "quantity": amount(event.quantity, event.unit)},
        )
    except Refused as refusal:
        answer = ScanAnswer(ok=False, code=refusal.code, message=refusal.message)
    answer.bom = bom_progress(step=visit.step)
    context = {"step": visit.step, "answer": answer, "bom": answer.bom, "key": key_new()}
    return render(request, "capture/partials/scan_answer.html", context)


@require_POST
@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_output(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    visit = _visit(request, number, sequence)
    lot = None
    try:
        if isinstance(visit.operator, Refused):
            raise visit.operator
        reason = request.POST.get("over_bom_reason", "")
        lot = station_output_record(
            step=visit.step,
            quantity=_quantity(request.POST.get("quantity", "")),
            operator=visit.operator,
            key=request.POST.get("key") or key_new(),
            station=visit.station,
            over_bom_reason=reason if request.user.has_perm("capture.record_over_bom") else "",
        )
        answer = ScanAnswer(
            ok=True,
            lot=lot,
            message=gettext("Output lot %(code)s recorded.") % {"code": lot.code},
        )
    except Refused as refusal:
        answer = ScanAnswer(ok=False, code=refusal.code, message=refusal.message)
    context = {
        "step": visit.step,
        "answer": answer,
        "output": lot,
        "output_key": key_new(),
        "oob": True,  # the scan answer is cleared: this is the one to show
    }
    return render(request, "capture/partials/output.html", context)


def _quantity(text: str) -> Decimal:
    """A quantity typed at the station; what is not a number is refused here."""
    quantity = _decimal(text)
    if not quantity.is_finite():
        raise Refused("quantity_invalid", gettext("Enter the quantity as a number."))
    return quantity
