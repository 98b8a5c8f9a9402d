"""The dashboard page."""

import json

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tracelot.reports import dashboard


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    charts = dashboard.dashboard_figures()
    context = {
        "charts_json": json.dumps(charts, ensure_ascii=False),
        "qc": charts["qc"],
        "holds": dashboard.open_holds(),
        "expiring": dashboard.expiring_soon(),
        "refused": dashboard.refused_scans(),
    }
    return render(request, "reports/dashboard.html", context)
