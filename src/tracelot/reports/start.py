"""The start page: what this instance holds and where to go next."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tracelot.lots.selectors import lot_counts_by_status


def start_page(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/start.html", {"counts": lot_counts_by_status()})
