"""The signed work under an incident: decisions on its lots, its CAPA actions, its close.

Each view parses a form, calls one service and comes back to the incident's page with what
happened (or why nothing did) as a message in the user's language.
"""

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.accounts.signatures import signature_verifies
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.core.sql import values_in
from tracelot.incidents.actions import (
    action_add,
    action_progress,
    action_verify,
    incident_close,
)
from tracelot.incidents.forms import (
    ActionForm,
    DecisionForm,
    IncidentCloseForm,
    RecallCloseForm,
    ReturnForm,
    SignatureFields,
)
from tracelot.incidents.models import (
    Action,
    EntryKind,
    Incident,
    IncidentEntry,
    IncidentStatus,
    Recall,
)
from tracelot.incidents.recalling import recall_progress
from tracelot.incidents.scope import Scope
from tracelot.incidents.services import incident_scope
from tracelot.incidents.views.common import form_errors, incident_act, signer_from
from tracelot.ledger.keys import key_new
from tracelot.lots.models import Lot, LotStatus
from tracelot.plants.models import Operator
from tracelot.quality.decisions import decision_approve, decision_take
from tracelot.quality.models import Decision, DecisionKind, DecisionStatus

HELD_ROWS = 200  # lots on hold listed to choose from; a decision on all of them is one click


def _decision_entry(incident: Incident, decision: Decision, by: Operator) -> None:
    earlier = incident.entries.filter(data__decision=decision.pk, data__status=decision.status)
    if earlier.exists():  # the same form sent again
        return
    IncidentEntry.objects.create(
        incident=incident,
        kind=EntryKind.DECISION,
        at=decision.done_at or decision.decided_at,
        by=by,
        text=f"{decision.get_kind_display()}: {decision.reason}"[:500],
        data={
            "decision": decision.pk,
            "status": decision.status,
            "lots": [row["code"] for row in decision.record["lots"]],
        },
    )


def _decided(decision: Decision) -> str:
    if decision.status == DecisionStatus.PENDING:
        return gettext(
            "Signed. A lot failed its inspection, so a second person must sign before it is "
            "carried out."
        )
    return gettext("Signed and carried out: %(decision)s of %(count)s lots.") % {
        "decision": decision.get_kind_display(),
        "count": len(decision.record["lots"]),
    }


@login_required
@permission_required("quality.add_decision", raise_exception=True)
@require_POST
def incident_decide(request: HttpRequest, number: str) -> HttpResponse:
    """A signed decision on lots of the scope chosen on the page (one or a group)."""

    def work(incident: Incident, person: Operator) -> str:
        form = DecisionForm(request.POST, site_id=incident.site_id)
        if not form.is_valid():
            raise Refused("form_invalid", form_errors(form))
        codes = request.POST.getlist("lots")
        if request.POST.get("all_held"):  # every lot of the scope on hold, however many
            held = Lot.objects.filter(
                pk__in=values_in(incident_scope(incident=incident).lot_ids),
                status=LotStatus.ON_HOLD,
            )
            codes = list(held.values_list("code", flat=True))
        lots = list(Lot.objects.filter(site=incident.site, code__in=codes))
        if not codes or len(lots) != len(set(codes)):
            raise Refused(
                "decision_without_lots", gettext("Choose the lots the decision is about.")
            )
        kind = DecisionKind(form.cleaned_data["kind"])
        signer = signer_from(request, f"{kind.label} {incident.number}")
        decision = decision_take(
            site=incident.site,
            kind=kind,
            lots=lots,
            reason=form.cleaned_data["reason"],
            signer=signer,
            actor=person,
            key=request.POST.get("key") or key_new(),
            context=incident.number,
            line=form.cleaned_data["line"],
        )
        _decision_entry(incident, decision, person)
        return _decided(decision)

    return incident_act(request, number, work)


@login_required
@permission_required("quality.add_decision", raise_exception=True)
@require_POST
def incident_decision_approve(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The second person's signature on a decision waiting for one."""

    def work(incident: Incident, person: Operator) -> str:
        decision = get_object_or_404(Decision, pk=pk, site=incident.site, context=incident.number)
        signer = signer_from(request, f"{decision.get_kind_display()} {incident.number}")
        decision = decision_approve(decision=decision, signer=signer, actor=person)
        _decision_entry(incident, decision, person)
        return _decided(decision)

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.add_action", raise_exception=True)
@require_POST
def incident_action_add(request: HttpRequest, number: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        form = ActionForm(request.POST, site_id=incident.site_id)
        if not form.is_valid():
            raise Refused("form_invalid", form_errors(form))
        action_add(incident=incident, by=person, **form.cleaned_data)
        return gettext("Action added.")

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.change_action", raise_exception=True)
@require_POST
def incident_action_progress(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The owner starts the action or reports it done; another person verifies it."""

    def work(incident: Incident, person: Operator) -> str:
        action = get_object_or_404(Action, pk=pk, incident=incident)
        status = request.POST.get("status", "")
        note = request.POST.get("note", "")
        if status == "verified":
            action_verify(action=action, effectiveness=note, by=person)
        else:
            action_progress(action=action, status=status, note=note, by=person)
        return gettext("Action updated.")

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.change_incident", raise_exception=True)
@require_POST
def incident_close_view(request: HttpRequest, number: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        form = IncidentCloseForm(request.POST)
        if not form.is_valid() and "summary" in form.errors:
            raise Refused("form_invalid", form_errors(form))
        signer = signer_from(request, f"close {incident.number}")
        incident_close(
            incident=incident, signer=signer, summary=form.cleaned_data["summary"], by=person
        )
        return gettext("The incident is closed.")

    return incident_act(request, number, work)


def _signatures(decision: Decision) -> list[dict[str, Any]]:
    return [
        {"signature": s, "verifies": signature_verifies(s, decision.record)}
        for s in decision.signatures.order_by("signed_at")
    ]


def work_context(request: HttpRequest, incident: Incident, scope: Scope) -> dict[str, Any]:
    """What the incident's page shows of the work under it, and the forms to do it."""
    user = request.user
    held = list(
        Lot.objects.filter(pk__in=values_in(scope.lot_ids), status=LotStatus.ON_HOLD)
        .select_related("item")
        .order_by("code")[:HELD_ROWS]
    )
    decisions = Decision.objects.filter(site=incident.site, context=incident.number).order_by(
        "-decided_at"
    )
    actions = list(incident.actions.select_related("owner", "verified_by"))
    today = clock.today()
    recall = Recall.objects.filter(incident=incident).select_related("start_signature").first()
    return {
        "held": held,
        "held_total": Lot.objects.filter(
            pk__in=values_in(scope.lot_ids), status=LotStatus.ON_HOLD
        ).count(),
        "decisions": [{"decision": d, "signatures": _signatures(d)} for d in decisions],
        "decision_form": DecisionForm(site_id=incident.site_id, auto_id="decision-%s"),
        "sign_form": SignatureFields(auto_id="sign-%s"),
        "actions": actions,
        "overdue": [
            a.pk for a in actions if a.due_on < today and a.status in ("open", "in_progress")
        ],
        "action_form": ActionForm(site_id=incident.site_id, auto_id="action-%s"),
        "close_form": IncidentCloseForm(auto_id="close-%s"),
        "recall": recall,
        "progress": recall_progress(recall=recall) if recall else None,
        "recall_close_form": RecallCloseForm(auto_id="recall-close-%s"),
        "return_form": ReturnForm(site_id=incident.site_id, auto_id=None),
        "closed": incident.status == IncidentStatus.CLOSED,
        "can_decide": user.has_perm("quality.add_decision"),
        "can_act": user.has_perm("incidents.add_action"),
        "can_recall": user.has_perm("incidents.add_recall"),
        "can_run_recall": user.has_perm("incidents.change_recall"),
    }
