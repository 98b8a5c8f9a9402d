"""The audit trail page and its hash-chain check."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.audit.selectors import (
    access_record_headers,
    access_record_list,
    access_record_rows,
    master_data_change_headers,
    master_data_change_list,
    master_data_change_rows,
)
from tracelot.core.exports import table_download
from tracelot.core.paging import page_of
from tracelot.ledger.audit import PAGE, audit_events, audit_export, audit_period
from tracelot.ledger.background import chain_verify_running, chain_verify_start
from tracelot.ledger.forms import AuditFilterForm
from tracelot.ledger.selectors import chain_check_latest, chain_check_latest_full
from tracelot.plants.models import Site
from tracelot.plants.selectors import user_site_ids


def _chain_status(site_ids: frozenset[int] | None) -> list[dict[str, Any]]:
    rows = []
    sites = Site.objects.order_by("code").select_related("chainhead")
    for site in sites if site_ids is None else sites.filter(pk__in=site_ids):
        full = chain_check_latest_full(site=site)
        latest = chain_check_latest(site=site)
        # A check of the new events vouches only for the events it walked: shown apart.
        since = latest if latest is not None and latest != full else None
        head = getattr(site, "chainhead", None)
        recorded = head.position if head is not None else 0
        checked = max((c.last_position for c in (full, since) if c is not None), default=0)
        # Positions are gapless, so the head tells how many events came since: no count.
        unchecked = max(recorded - checked, 0)
        rows.append({"site": site, "full": full, "since": since, "unchecked": unchecked})
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
    access = access_record_list(since=since, before=before)
    if export in ("access-csv", "access-xlsx"):
        return table_download(
            headers=access_record_headers(),
            rows=access_record_rows(access),
            kind=export.removeprefix("access-"),
            name="access-records",
            title=gettext("Sign-ins, rights and exports"),
        )
    if export in ("changes-csv", "changes-xlsx"):
        return table_download(
            headers=master_data_change_headers(),
            rows=master_data_change_rows(changes),
            kind=export.removeprefix("changes-"),
            name="master-data-changes",
            title=gettext("Master-data changes"),
        )
    page = page_of(audit_events(filters=filters, site_ids=site_ids), request.GET.get("page"), PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "changes": changes[:PAGE],
        "access": access[:PAGE],
        "chains": _chain_status(site_ids),
        "verifying_since": chain_verify_running(),
    }
    return render(request, "ledger/audit_trail.html", context)


@require_POST
@login_required
@permission_required("ledger.view_event", raise_exception=True)
def chain_verify(request: HttpRequest) -> HttpResponse:
    """Start verifying the new events (or, with `full`, every event and lot) of the user's
    sites; the audit page shows the outcome."""
    full = request.POST.get("full") == "1"
    if not chain_verify_start(site_ids=user_site_ids(user=request.user), full=full):
        messages.info(request, gettext("A verification is already running."))
    return HttpResponseRedirect(reverse("ledger:audit-trail"))
