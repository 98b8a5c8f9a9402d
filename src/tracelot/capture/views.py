"""The scan station pages: pick a work order step, scan inputs, record the output lot."""

import uuid
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from tracelot.capture.services import bom_progress, station_output_record, station_scan_input
from tracelot.core.errors import Refused
from tracelot.orders.models import OrderStatus, WorkOrder, WorkOrderStep
from tracelot.plants.models import Station
from tracelot.plants.selectors import operator_for_user


@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_pick(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    orders = WorkOrder.objects.filter(status=OrderStatus.OPEN).select_related(
        "item", "line", "shift"
    )
    if query:
        orders = orders.filter(number__icontains=query)
    orders = orders.order_by("-ordered_on", "-pk").prefetch_related("steps")[:30]
    return render(request, "capture/pick.html", {"orders": orders, "q": query})


def _step(number: str, sequence: int) -> WorkOrderStep:
    return get_object_or_404(
        WorkOrderStep.objects.select_related(
            "work_order__line",
            "work_order__shift",
            "work_order__site",
            "output_item",
            "responsible",
        ),
        work_order__number=number,
        sequence=sequence,
    )


def _station(request: HttpRequest) -> Station | None:
    code = request.GET.get("station") or request.POST.get("station") or ""
    return Station.objects.filter(code=code).first() if code else None


def _context(step: WorkOrderStep, **extra: object) -> dict[str, object]:
    return {"step": step, "bom": bom_progress(step=step), "key": uuid.uuid4(), **extra}


@login_required
@permission_required("capture.use_station", raise_exception=True)
def station(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    step = _step(number, sequence)
    station_here = _station(request)
    return render(request, "capture/station.html", _context(step, station=station_here))


@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_scan(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    step = _step(number, sequence)
    try:
        operator = operator_for_user(user=request.user)
    except Refused as refusal:
        return render(
            request,
            "capture/partials/answer.html",
            _context(step, answer={"ok": False, "message": refusal.message}),
        )
    answer = station_scan_input(
        step=step,
        text=request.POST.get("scan", ""),
        operator=operator,
        key=request.POST.get("key") or str(uuid.uuid4()),
        user_id=request.user.pk,
        station=_station(request),
    )
    return render(request, "capture/partials/answer.html", _context(step, answer=answer))


@login_required
@permission_required("capture.use_station", raise_exception=True)
def station_output(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    step = _step(number, sequence)
    try:
        quantity = Decimal(request.POST.get("quantity", ""))
        lot = station_output_record(
            step=step,
            quantity=quantity,
            operator=operator_for_user(user=request.user),
            key=request.POST.get("key") or str(uuid.uuid4()),
        )
        answer = {
            "ok": True,
            "message": gettext("Output lot %(code)s recorded.") % {"code": lot.code},
        }
        context = _context(step, answer=answer, output=lot)
    except InvalidOperation:
        context = _context(
            step, answer={"ok": False, "message": gettext("Enter the quantity made.")}
        )
    except Refused as refusal:
        context = _context(step, answer={"ok": False, "message": refusal.message})
    return render(request, "capture/partials/answer.html", context)
