"""The dashboard page and the printable reports: trace report, packing list, incident report."""

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tracelot.accounts.selectors import person_name
from tracelot.core.errors import Refused
from tracelot.core.exports import XLSX, document_download
from tracelot.incidents.actions import actions_overdue
from tracelot.incidents.selectors import incident_get_for_user
from tracelot.ledger.integrity import OF_LOTS, TITLES, integrity_trend
from tracelot.lots.models import Lot
from tracelot.lots.selectors import lot_get_for_user
from tracelot.orders.selectors import sales_order_get_for_user
from tracelot.plants.selectors import user_site_ids
from tracelot.reports import dashboard
from tracelot.reports.incident import incident_report_pdf, incident_report_xlsx
from tracelot.reports.pdf import packing_list_pdf, trace_report_pdf
from tracelot.trace.engine import Direction
from tracelot.trace.selectors import trace_for_user
from tracelot.warehouse.selectors import shipment_lines

# The dashboard's QC charts: the figures' group, the chart's title, its list's first column.
OVERDUE_SHOWN = 20  # the dashboard lists the first; each incident page lists all of its own
QC_CHARTS = [
    ("line", _("QC pass rate by line"), _("Line")),
    ("shift", _("QC pass rate by shift"), _("Shift")),
    ("supplier", _("QC pass rate by supplier"), _("Supplier")),
]


def _integrity(site_ids: frozenset[int] | None) -> dict[str, Any]:
    """The daily integrity check's trend (whole plant), and the latest run's lots the user
    may open."""
    runs = integrity_trend(days=30)
    latest = runs[-1] if runs else None
    codes = [
        code
        for check, finding in (latest.findings.items() if latest else [])
        if check in OF_LOTS
        for code in finding.get("examples", [])
    ]
    visible = Lot.objects.filter(code__in=codes)
    if site_ids is not None:
        visible = visible.filter(site_id__in=site_ids)
    shown = set(visible.values_list("code", flat=True))
    return {
        "checks": [(check, TITLES[check]) for check in TITLES],
        "rows": [
            {"run": run, "counts": [run.findings.get(c, {}).get("count", 0) for c in TITLES]}
            for run in reversed(runs)
        ],
        "latest": [
            {
                "title": TITLES[check],
                "count": finding.get("count", 0),
                "lots": [code for code in finding.get("examples", []) if code in shown],
                "others": [e for e in finding.get("examples", []) if check not in OF_LOTS],
            }
            for check, finding in (latest.findings.items() if latest else [])
            if finding.get("count")
        ],
    }


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    site_ids = user_site_ids(user=request.user)
    charts = dashboard.dashboard_figures(site_ids=site_ids)
    context = {
        "charts": charts,
        "qc": charts["qc"],
        "qc_charts": [
            {"group": group, "title": title, "column": column, "series": charts["qc"][group]}
            for group, title, column in QC_CHARTS
        ],
        "holds": dashboard.open_holds(site_ids=site_ids),
        "expiring": dashboard.expiring_soon(site_ids=site_ids),
        "expired": dashboard.expired_on_hand(site_ids=site_ids),
        "refused": dashboard.refused_scans(site_ids=site_ids),
        "integrity": _integrity(site_ids),
        "overdue": (
            list(actions_overdue(site_ids=site_ids)[:OVERDUE_SHOWN])
            if request.user.has_perm("incidents.view_action")
            else None
        ),
    }
    return render(request, "reports/dashboard.html", context)


def _no_font(refusal: Refused) -> HttpResponse:
    return HttpResponse(refusal.message, status=503, content_type="text/plain; charset=utf-8")


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_trace_report(request: HttpRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    direction = Direction.parse(request.GET.get("direction"))
    trace = trace_for_user(user=request.user, lot=lot, direction=direction)
    try:
        content = trace_report_pdf(trace=trace, lot=lot, person=person_name(request.user))
    except Refused as refusal:
        return _no_font(refusal)
    return document_download(content, filename=f"trace-{direction}-{lot.code}.pdf")


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def packing_list(request: HttpRequest, number: str) -> HttpResponse:
    order = sales_order_get_for_user(user=request.user, number=number)
    try:
        content = packing_list_pdf(sales_order=order, lines=list(shipment_lines(sales_order=order)))
    except Refused as refusal:
        return _no_font(refusal)
    return document_download(content, filename=f"packing-list-{order.number}.pdf")


@login_required
@permission_required("incidents.view_incident", raise_exception=True)
def incident_report_pdf_view(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_get_for_user(user=request.user, number=number)
    try:
        content = incident_report_pdf(incident=incident, person=person_name(request.user))
    except Refused as refusal:
        return _no_font(refusal)
    return document_download(content, filename=f"{incident.number}-report.pdf")


@login_required
@permission_required("incidents.view_incident", raise_exception=True)
def incident_report_xlsx_view(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_get_for_user(user=request.user, number=number)
    response = HttpResponse(incident_report_xlsx(incident=incident), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{incident.number}-report.xlsx"'
    return response
