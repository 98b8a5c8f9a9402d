"""Corrective and preventive actions (CAPA) of an incident, and closing the incident.

An action has an owner and a due date; it is done by its owner and verified by someone
else, with a note on whether it worked. The incident closes, under a signature, only when
every action is verified and no recall is still open (ISO 9001 §10.2).
"""

from collections.abc import Collection
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from tracelot.accounts.signatures import Signer, signature_record
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.incidents.models import (
    Action,
    ActionKind,
    ActionStatus,
    EntryKind,
    Incident,
    IncidentStatus,
)
from tracelot.incidents.services import entry_add
from tracelot.ledger import guards
from tracelot.plants.models import Operator


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise Refused("text_required", gettext("%(what)s is required.") % {"what": what})
    guards.text_storable(value, what=what, limit=500)
    return value


def _open_check(incident: Incident) -> None:
    if incident.status == IncidentStatus.CLOSED:
        raise Refused("incident_closed", gettext("The incident is closed."))


@transaction.atomic
def action_add(
    *,
    incident: Incident,
    kind: str,
    description: str,
    owner: Operator,
    due_on: date,
    by: Operator,
) -> Action:
    _open_check(incident)
    if kind not in ActionKind.values:
        raise Refused("action_kind", gettext("Choose the kind of action."))
    description = _text(description, gettext("The action"))
    if owner.site_id != incident.site_id:
        raise Refused("owner_other_site", gettext("The owner works at another site."))
    action = Action.objects.create(
        incident=incident, kind=kind, description=description, owner=owner, due_on=due_on
    )
    entry_add(
        incident,
        EntryKind.ACTION,
        by,
        gettext("Action added: %(action)s") % {"action": description},
        {"action": action.pk, "owner": owner.code, "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def action_progress(*, action: Action, status: str, note: str, by: Operator) -> Action:
    """The owner starts the action or reports it done."""
    action = Action.objects.select_for_update().select_related("incident").get(pk=action.pk)
    _open_check(action.incident)
    allowed: dict[str, set[str]] = {
        ActionStatus.IN_PROGRESS: {ActionStatus.OPEN},
        ActionStatus.DONE: {ActionStatus.OPEN, ActionStatus.IN_PROGRESS},
    }
    if action.status == status:
        return action
    if status not in allowed or action.status not in allowed[status]:
        raise Refused(
            "action_status",
            gettext("The action is %(status)s and cannot become %(new)s.")
            % {
                "status": ActionStatus(action.status).label,
                "new": ActionStatus(status).label if status in ActionStatus.values else status,
            },
        )
    action.status = status
    if status == ActionStatus.DONE:
        action.done_note = _text(note, gettext("What was done"))
        action.done_at = clock.now()
    action.save(update_fields=["status", "done_note", "done_at"])
    entry_add(
        action.incident,
        EntryKind.ACTION,
        by,
        gettext("Action %(status)s: %(action)s")
        % {"status": ActionStatus(status).label, "action": action.description},
        {"action": action.pk, "status": status, "note": note.strip()},
    )
    return action


@transaction.atomic
def action_verify(*, action: Action, effectiveness: str, by: Operator) -> Action:
    """Someone other than the owner checks that the action was done and worked."""
    action = Action.objects.select_for_update().select_related("incident").get(pk=action.pk)
    _open_check(action.incident)
    if action.status == ActionStatus.VERIFIED:
        return action
    if action.status != ActionStatus.DONE:
        raise Refused("action_not_done", gettext("An action is verified once it is done."))
    if by.pk == action.owner_id:
        raise Refused(
            "action_verified_by_owner",
            gettext("An action is verified by someone other than its owner."),
        )
    action.effectiveness = _text(effectiveness, gettext("The note on its effectiveness"))
    action.status = ActionStatus.VERIFIED
    action.verified_by = by
    action.verified_at = clock.now()
    action.save(update_fields=["effectiveness", "status", "verified_by", "verified_at"])
    entry_add(
        action.incident,
        EntryKind.ACTION,
        by,
        gettext("Action verified: %(action)s") % {"action": action.description},
        {"action": action.pk, "status": ActionStatus.VERIFIED, "note": action.effectiveness},
    )
    return action


def actions_overdue(
    *, site_ids: Collection[int] | None, on: date | None = None
) -> QuerySet[Action]:
    """Actions past their due date and not done yet, soonest due first."""
    actions = Action.objects.filter(
        due_on__lt=on or clock.today(), status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
    ).select_related("incident", "owner")
    return actions if site_ids is None else actions.filter(incident__site_id__in=list(site_ids))


@transaction.atomic
def incident_close(*, incident: Incident, signer: Signer, summary: str, by: Operator) -> Incident:
    """Close the incident under a signature: every action verified, no recall open."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == IncidentStatus.CLOSED:
        return incident
    summary = _text(summary, gettext("The conclusion"))
    actions = list(incident.actions.all())
    if not actions:
        raise Refused(
            "incident_without_actions",
            gettext("Record at least one corrective action before the incident is closed."),
        )
    open_ = [a for a in actions if a.status != ActionStatus.VERIFIED]
    if open_:
        raise Refused(
            "incident_actions_open",
            gettext("%(count)s actions are not verified yet; the incident closes when all are.")
            % {"count": len(open_)},
        )
    recall = getattr(incident, "recall", None)
    if recall is not None and recall.closed_at is None:
        raise Refused("incident_recall_open", gettext("Close the recall first."))
    signature = signature_record(
        signer=signer,
        subject=gettext("Close of incident %(number)s") % {"number": incident.number},
        record={
            "incident": incident.number,
            "conclusion": summary,
            "actions": [
                {"kind": a.kind, "action": a.description, "verified_by": a.verified_by_id}
                for a in actions
            ],
        },
    )
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = clock.now()
    incident.close_signature = signature
    incident.save(update_fields=["status", "closed_at", "close_signature"])
    entry_add(incident, EntryKind.CLOSED, by, summary, {"signature": signature.pk})
    return incident
