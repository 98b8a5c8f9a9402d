"""The signed work on the incident's page: decisions, recall, actions and the close, as a
quality manager does it in the browser's forms (and as a tired one gets it wrong)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import OperatorFactory
from tracelot.core import clock
from tracelot.incidents.models import ActionStatus, IncidentStatus
from tracelot.incidents.services import incident_contain
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus
from tracelot.plants.models import SiteMembership
from tracelot.quality.models import Decision

pytestmark = pytest.mark.django_db


def _person(django_user_model, site, username):
    user = django_user_model.objects.create_user(username=username, password=f"pw-{username}-1")
    user.groups.add(Group.objects.get(name="quality"))
    SiteMembership.objects.create(user=user, site=site)
    operator = OperatorFactory(site=site, code=username.upper(), name=username.title(), user=user)
    client = Client()
    client.force_login(user)
    return client, operator


@pytest.fixture
def people(client_as, django_user_model, site):
    client_as("quality")  # the roles exist
    return {
        "zhang": _person(django_user_model, site, "zhang"),
        "wang": _person(django_user_model, site, "wang"),
    }


@pytest.fixture
def contained(incident, people):
    incident_contain(incident=incident, actor=people["zhang"][1], key="contain")
    return incident


def _post(client, name, incident, data, **kwargs):
    url = reverse(f"incidents:{name}", kwargs={"number": incident.number, **kwargs})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_wrong_password_signs_nothing_and_says_so(contained, people, dough_made):
    zhang = people["zhang"][0]
    page = _post(
        zhang, "incident-decide", contained,
        {"lots": [dough_made["flour"].code], "kind": "release", "reason": "tested negative",
         "meaning": "approved", "password": "wrong"},
    )  # fmt: skip
    assert "The password is not right" in page
    assert not Decision.objects.exists()
    assert Lot.objects.get(pk=dough_made["flour"].pk).status == LotStatus.ON_HOLD


def test_releasing_a_group_of_held_lots_under_one_signature(contained, people, dough_made, sibling):
    zhang = people["zhang"][0]
    page = _post(
        zhang, "incident-decide", contained,
        {"all_held": "1", "kind": "release", "reason": "pork and flour retested negative",
         "meaning": "approved", "password": "pw-zhang-1", "key": "d"},
    )  # fmt: skip
    assert "Signed and carried out" in page
    assert "Zhang" in page  # the signature is shown on the page
    for name in ("flour", "pork"):
        assert Lot.objects.get(pk=dough_made[name].pk).status == LotStatus.RELEASED
    assert Lot.objects.get(pk=sibling.pk).status == LotStatus.RELEASED


def test_scrapping_the_lot_that_failed_and_four_eyes_on_releasing_it(
    contained, people, operator, dough_made, receive, flour
):
    zhang, wang = people["zhang"][0], people["wang"][0]
    flour_lot = dough_made["flour"]
    from tracelot.ledger import services

    services.lot_inspect(lot=flour_lot, characteristic="m", passed=False, actor=operator, key="f")
    release = {"lots": [flour_lot.code], "kind": "release", "reason": "sorted",
               "meaning": "approved", "password": "pw-zhang-1"}  # fmt: skip
    page = _post(zhang, "incident-decide", contained, release)
    assert "a second person must sign" in page
    decision = Decision.objects.get()
    page = _post(
        zhang, "incident-decision-approve", contained,
        {"meaning": "reviewed", "password": "pw-zhang-1"}, pk=decision.pk,
    )  # fmt: skip
    assert "must be another person" in page
    _post(
        wang, "incident-decision-approve", contained,
        {"meaning": "reviewed", "password": "pw-wang-1"}, pk=decision.pk,
    )  # fmt: skip
    assert Lot.objects.get(pk=flour_lot.pk).status == LotStatus.RELEASED


def test_recall_from_the_page_notice_acknowledgement_return_and_close(
    incident, people, dough_made, quarantine
):
    zhang = people["zhang"][0]
    hema = dough_made["order"].customer
    hema.email = "qa@hema.example.com"
    hema.save()
    page = _post(zhang, "recall-start", incident, {"meaning": "approved", "password": "pw-zhang-1"})
    assert "Recall started: 1 customers." in page
    # The progress in the reader's units, each lot a link to its page.
    assert "Shipped 10 kg · Recovered 0 · Outstanding 10 kg" in page
    assert f'href="/lots/{dough_made["dough"].code}/">' in page
    page = _post(zhang, "recall-notify", incident, {})
    assert "Notices sent: 1." in page
    assert len(mail.outbox) == 1
    letter = zhang.get(reverse("incidents:recall-letter", args=[incident.number, hema.code]))
    assert letter["Content-Type"] == "application/pdf"
    _post(zhang, "recall-acknowledge", incident, {"note": "phoned"}, code=hema.code)
    page = _post(
        zhang, "recall-return", incident,
        {"lot": dough_made["dough"].code, "quantity": "12", "location": quarantine.pk},
        code=hema.code,
    )  # fmt: skip
    assert "have not come back" in page  # 12 > 10 shipped
    _post(
        zhang, "recall-return", incident,
        {"lot": dough_made["dough"].code, "quantity": "10", "location": quarantine.pk, "key": "r"},
        code=hema.code,
    )  # fmt: skip
    assert Event.objects.filter(kind=EventKind.RETURN).get().quantity == Decimal(10)
    page = _post(zhang, "recall-close", incident, {"meaning": "approved", "password": "pw-zhang-1"})
    assert "The recall is closed." in page
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.INVESTIGATING


def test_actions_are_verified_by_another_person_before_the_incident_closes(incident, people):
    zhang, zhang_op = people["zhang"]
    wang = people["wang"][0]
    due = (clock.today() - timedelta(days=1)).isoformat()
    page = _post(
        zhang, "incident-action-add", incident,
        {"kind": "corrective", "description": "Metal detector check every hour",
         "owner": zhang_op.pk, "due_on": due},
    )  # fmt: skip
    assert "overdue" in page
    action = incident.actions.get()
    close = {"summary": "root cause removed", "meaning": "approved", "password": "pw-zhang-1"}
    assert "not verified yet" in _post(zhang, "incident-close", incident, close)
    _post(zhang, "incident-action-progress", incident, {"status": "done", "note": "in SOP"},
          pk=action.pk)  # fmt: skip
    page = _post(zhang, "incident-action-progress", incident,
                 {"status": "verified", "note": "works"}, pk=action.pk)  # fmt: skip
    assert "someone other than its owner" in page
    _post(wang, "incident-action-progress", incident, {"status": "verified", "note": "no metal"},
          pk=action.pk)  # fmt: skip
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    page = _post(zhang, "incident-close", incident, close)
    assert "The incident is closed." in page
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.close_signature.printed_name == "Zhang"
