"""The audit trail page and its hash-chain check."""

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.audit.selectors import (
    master_data_change_headers,
    master_data_change_list,
    master_data_change_rows,
)
from tracelot.core.exports import table_download
from tracelot.ledger.audit import PAGE, audit_events, audit_export, audit_period
from tracelot.ledger.forms import AuditFilterForm
from tracelot.ledger.models import Event
from tracelot.ledger.selectors import chain_check_latest
from tracelot.ledger.services import chain_verify_new_events
from tracelot.plants.models import Site
from tracelot.plants.selectors import user_site_ids


def _chain_status(site_ids: frozenset[int] | None) -> list[dict[str, Any]]:
    rows = []
    sites = Site.objects.order_by("code")
    for site in sites if site_ids is None else sites.filter(pk__in=site_ids):
        check = chain_check_latest(site=site)
        since = check.last_position if check is not None else 0
        unchecked = Event.objects.filter(site=site, chain_position__gt=since).count()
        rows.append({"site": site, "check": check, "unchecked": unchecked})
    return rows


@login_required
@permission_required("ledger.view_event", raise_exception=True)
def audit_trail(request: HttpRequest) -> HttpResponseBase:
    site_ids = user_site_ids(user=request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else AuditFilterForm.empty()
    since, before = audit_period(filters)
    changes = master_data_change_list(since=since, before=before)
    export = request.GET.get("export", "")
    if export in ("csv", "xlsx"):
        return audit_export(audit_events(filters=filters, site_ids=site_ids), export)
    if export in ("changes-csv", "changes-xlsx"):
        return table_download(
            headers=master_data_change_headers(),
            rows=master_data_change_rows(changes),
            kind=export.removeprefix("changes-"),
            name="master-data-changes",
            title=gettext("Master-data changes"),
        )
    page_text = request.GET.get("page", "1")
    page = max(1, int(page_text)) if page_text.isdigit() else 1
    events = list(
        audit_events(filters=filters, site_ids=site_ids)[(page - 1) * PAGE : page * PAGE + 1]
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "events": events[:PAGE],
        "page": page,
        "has_next": len(events) > PAGE,
        "query": query.urlencode(),
        "changes": changes[:PAGE],
        "chains": _chain_status(site_ids),
    }
    return render(request, "ledger/audit_trail.html", context)


@require_POST
@login_required
@permission_required("ledger.view_event", raise_exception=True)
def chain_verify(request: HttpRequest) -> HttpResponse:
    for site in Site.objects.all():
        chain_verify_new_events(site=site)
    return HttpResponseRedirect(reverse("ledger:audit-trail"))
