"""CAPA actions: owner, due date, done, verified by someone else; overdue ones are listed on
the incident and on the dashboard; the incident closes only when every one is verified."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.incidents.actions import (
    action_add,
    action_progress,
    action_verify,
    actions_overdue,
    incident_close,
)
from tracelot.incidents.models import ActionKind, ActionStatus, IncidentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(incident, signers):
    return action_add(
        incident=incident, kind=ActionKind.CORRECTIVE, description="Sieve flour at intake",
        owner=signers["zhang"], due_on=clock.today() - timedelta(days=2), by=signers["zhang"],
    )  # fmt: skip


def test_an_action_past_its_due_date_is_overdue_until_done(action, signers, site):
    assert list(actions_overdue(site_ids=[site.pk])) == [action]
    action_progress(
        action=action, status=ActionStatus.DONE, note="sieve installed", by=signers["zhang"]
    )
    assert list(actions_overdue(site_ids=[site.pk])) == []


def test_done_needs_a_note_and_the_owner_cannot_verify_their_own(action, signers):
    with pytest.raises(Refused):
        action_progress(action=action, status=ActionStatus.DONE, note=" ", by=signers["zhang"])
    with pytest.raises(Refused) as refused:
        action_verify(action=action, effectiveness="fine", by=signers["wang"])
    assert refused.value.code == "action_not_done"
    action_progress(action=action, status=ActionStatus.DONE, note="done", by=signers["zhang"])
    with pytest.raises(Refused) as refused:
        action_verify(action=action, effectiveness="fine", by=signers["zhang"])
    assert refused.value.code == "action_verified_by_owner"
    verified = action_verify(action=action, effectiveness="no metal in 3 weeks", by=signers["wang"])
    assert verified.status == ActionStatus.VERIFIED
    assert verified.verified_by == signers["wang"]


def test_the_incident_closes_under_a_signature_once_every_action_is_verified(
    incident, action, signers
):
    with pytest.raises(Refused) as refused:
        incident_close(
            incident=incident, signer=signers["sign"](), summary="x", by=signers["zhang"]
        )
    assert refused.value.code == "incident_actions_open"
    action_progress(action=action, status=ActionStatus.DONE, note="done", by=signers["zhang"])
    action_verify(action=action, effectiveness="works", by=signers["wang"])
    closed = incident_close(
        incident=incident,
        signer=signers["sign"](),
        summary="root cause removed",
        by=signers["zhang"],
    )
    assert closed.status == IncidentStatus.CLOSED
    assert closed.close_signature.content["record"]["conclusion"] == "root cause removed"
    with pytest.raises(Refused):  # nothing is added to a closed incident
        action_add(
            incident=closed, kind=ActionKind.PREVENTIVE, description="x",
            owner=signers["zhang"], due_on=clock.today(), by=signers["zhang"],
        )  # fmt: skip


def test_an_incident_without_actions_does_not_close(incident, signers):
    with pytest.raises(Refused) as refused:
        incident_close(
            incident=incident, signer=signers["sign"](), summary="x", by=signers["zhang"]
        )
    assert refused.value.code == "incident_without_actions"


def test_the_dashboard_lists_overdue_actions(action, client_as):
    page = client_as("quality").get(reverse("reports:dashboard")).content.decode()
    assert "1 corrective action overdue" in page
    assert "Sieve flour at intake" in page
