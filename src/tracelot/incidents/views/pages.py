"""Incident pages: thin views over the incident services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.core.errors import Refused
from tracelot.incidents.causes import KIND_LABELS, likely_causes, passed_lot_ids_for
from tracelot.incidents.forms import IncidentForm, ScopeChangeForm
from tracelot.incidents.models import EntryKind, Incident, ScopeRole, Source
from tracelot.incidents.services import (
    incident_contain,
    incident_open,
    incident_scope,
    incident_scope_change,
)
from tracelot.incidents.views.common import (
    incident_act,
    incident_for_user,
    incidents_visible,
    operator_of,
)
from tracelot.incidents.views.work import work_context
from tracelot.ledger.keys import key_new
from tracelot.lots.models import LotStatus
from tracelot.lots.selectors import lot_get_for_user
from tracelot.plants.models import Operator

CAUSES_SHOWN = 10
SCOPE_ROWS = 200  # a wide scope is summed up by status; its first rows are listed


@login_required
@permission_required("incidents.view_incident", raise_exception=True)
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = incidents_visible(request).select_related("owner").order_by("-opened_at")
    return render(request, "incidents/list.html", {"incidents": incidents[:200]})


@login_required
@permission_required("incidents.add_incident", raise_exception=True)
def incident_new(request: HttpRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    person = operator_of(request)
    if person is None:
        return render(request, "quality/no_operator.html", status=403)
    form = IncidentForm(request.POST or None, site_id=lot.site_id, initial={"owner": person})
    if request.method == "POST" and form.is_valid():
        try:
            incident = incident_open(
                site=lot.site,
                title=form.cleaned_data["title"],
                severity=form.cleaned_data["severity"],
                owner=form.cleaned_data["owner"],
                opened_by=person,
                source=Source.LOT,
                lot_ids=[lot.pk],
                description=form.cleaned_data["description"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("incidents:incident-detail", number=incident.number)
    return render(request, "incidents/new.html", {"lot": lot, "form": form})


@login_required
@permission_required("incidents.view_incident", raise_exception=True)
def incident_detail(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_for_user(request, number)
    scope = incident_scope(incident=incident)
    labels = dict(LotStatus.choices)
    by_status: dict[str, int] = {}
    for row in scope.lots:
        row["status_label"] = labels.get(row["status"], row["status"])
        by_status[row["status_label"]] = by_status.get(row["status_label"], 0) + 1
    start = [
        lot_id
        for lot_id, role in incident.lots.values_list("lot_id", "role")
        if role == ScopeRole.START
    ]
    causes = likely_causes(
        failed_lot_ids=start,
        passed_lot_ids=passed_lot_ids_for(failed_lot_ids=start),
        limit=CAUSES_SHOWN,
    )
    context = {
        "incident": incident,
        "scope": scope,
        "by_status": sorted(by_status.items()),
        "rows": scope.lots[:SCOPE_ROWS],
        "causes": causes,
        "cause_rows": [
            {**c.as_json(), "kind_label": KIND_LABELS.get(c.kind, c.kind)}
            for c in causes.candidates
        ],
        "entries": incident.entries.select_related("by"),
        "changes": incident.lots.exclude(role=ScopeRole.START).select_related("lot", "by"),
        "can_contain": request.user.has_perm("incidents.contain_incident"),
        "can_change": request.user.has_perm("incidents.change_incident"),
        "scope_form": ScopeChangeForm(),
        "key": key_new(),
        "contained": EntryKind.CONTAINED,
        "scope_changed": EntryKind.SCOPE_CHANGED,
        **work_context(request, incident, scope),
    }
    return render(request, "incidents/detail.html", context)


@login_required
@permission_required("incidents.change_incident", raise_exception=True)
@require_POST
def incident_scope_view(request: HttpRequest, number: str) -> HttpResponse:
    """Add a suspect lot to the scope or exclude one, with a reason; the page then says
    which lots came in and which went out."""
    incident = incident_for_user(request, number)
    person = operator_of(request)
    if person is None:
        return render(request, "quality/no_operator.html", status=403)
    form = ScopeChangeForm(request.POST)
    if form.is_valid():
        try:
            lot = lot_get_for_user(user=request.user, code=form.cleaned_data["lot"].strip())
            change = incident_scope_change(
                incident=incident,
                lot=lot,
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
                by=person,
            )
        except (Refused, Http404) as problem:
            message = problem.message if isinstance(problem, Refused) else gettext("No such lot.")
            messages.error(request, message)
        else:
            messages.success(
                request,
                gettext("Scope changed: %(in)s lots came in, %(out)s went out.")
                % {"in": len(change.came_in), "out": len(change.went_out)},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("incidents:incident-detail", number=incident.number)


@login_required
@permission_required("incidents.contain_incident", raise_exception=True)
@require_POST
def incident_contain_view(request: HttpRequest, number: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        key = request.POST.get("key") or key_new()
        return incident_contain(incident=incident, actor=person, key=key).summary()

    return incident_act(request, number, work)
