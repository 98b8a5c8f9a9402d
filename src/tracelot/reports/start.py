"""The start page: what this instance holds and where to go next."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tracelot.plants.selectors import user_site_ids
from tracelot.reports.counts import lot_counts


def start_page(request: HttpRequest) -> HttpResponse:
    # An anonymous visitor sees no plant data: only signed-in users get the counts.
    context = {}
    if request.user.is_authenticated:
        counts, counted_at = lot_counts(site_ids=user_site_ids(user=request.user))
        context = {"counts": counts, "counted_at": counted_at}
    return render(request, "reports/start.html", context)
