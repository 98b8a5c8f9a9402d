"""The start page: what this instance holds and where to go next."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tracelot.lots.selectors import lot_counts_by_status
from tracelot.plants.selectors import user_site_ids


def start_page(request: HttpRequest) -> HttpResponse:
    # An anonymous visitor sees no plant data: only signed-in users get the counts.
    counts = (
        lot_counts_by_status(site_ids=user_site_ids(user=request.user))
        if request.user.is_authenticated
        else []
    )
    return render(request, "reports/start.html", {"counts": counts})
