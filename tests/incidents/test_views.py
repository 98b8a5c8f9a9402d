"""The incident pages as a quality manager, an auditor and an operator use them."""

import pytest
from django.urls import reverse

from tracelot.incidents.models import Incident, IncidentStatus
from tracelot.lots.models import Lot, LotStatus
from tracelot.plants.models import Operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality_client(client_as):
    return client_as("quality", link_operator=True)


def open_incident(client, lot, **fields):
    owner = Operator.objects.filter(site_id=lot.site_id).order_by("pk").first()
    data = {
        "title": "Metal fragment found by a customer",
        "severity": "critical",
        "owner": owner.pk,
    }
    return client.post(reverse("incidents:incident-new", args=[lot.code]), {**data, **fields})


def test_a_quality_manager_opens_an_incident_from_a_lot_and_contains_it(quality_client, dough_made):
    lot_page = quality_client.get(reverse("lotpages:lot-detail", args=[dough_made["flour"].code]))
    assert (
        reverse("incidents:incident-new", args=[dough_made["flour"].code])
        in lot_page.content.decode()
    )
    response = open_incident(quality_client, dough_made["flour"])
    incident = Incident.objects.get()
    assert response.url == reverse("incidents:incident-detail", args=[incident.number])
    page = quality_client.get(response.url).content.decode()
    assert dough_made["dough"].code in page  # made from the flour: in the scope
    assert "Hema Fresh" in page
    assert "Likely causes" in page

    contained = quality_client.post(
        reverse("incidents:incident-contain", args=[incident.number]), {"key": "k1"}
    )
    assert contained.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CONTAINED
    assert Lot.objects.get(pk=dough_made["flour"].pk).status == LotStatus.ON_HOLD
    page = quality_client.get(contained.url).content.decode()
    # Told at once what the one action did, and kept on the timeline.
    assert '<div class="message success">1 put on hold, 0 on hold already' in page
    assert page.count("1 put on hold") == 2


def test_the_incident_page_reads_in_chinese(quality_client, dough_made):
    open_incident(quality_client, dough_made["flour"])
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    incident = Incident.objects.get()
    page = quality_client.get(reverse("incidents:incident-detail", args=[incident.number]))
    body = page.content.decode()
    assert "可疑范围" in body
    assert "面粉" in body


def test_an_empty_title_is_refused_and_nothing_is_opened(quality_client, dough_made):
    response = open_incident(quality_client, dough_made["flour"], title="")
    assert response.status_code == 200
    assert not Incident.objects.exists()


def test_an_auditor_reads_incidents_without_the_contain_button(
    quality_client, client_as, dough_made, client
):
    open_incident(quality_client, dough_made["flour"])
    number = Incident.objects.get().number
    auditor = client_as("auditor")
    body = auditor.get(reverse("incidents:incident-detail", args=[number])).content.decode()
    assert number in body
    assert reverse("incidents:incident-contain", args=[number]) not in body
    assert auditor.post(reverse("incidents:incident-contain", args=[number])).status_code == 403


def test_an_operator_cannot_open_incidents(client_as, dough_made):
    operator = client_as("operator")
    assert operator.get(reverse("incidents:incident-list")).status_code == 403
    url = reverse("incidents:incident-new", args=[dough_made["flour"].code])
    assert operator.get(url).status_code == 403


def test_excluding_a_lot_from_the_page_says_what_left_the_scope(quality_client, dough_made):
    open_incident(quality_client, dough_made["dough"])
    number = Incident.objects.get().number
    response = quality_client.post(
        reverse("incidents:incident-scope", args=[number]),
        {"lot": dough_made["pork"].code, "role": "excluded", "reason": "certificate negative"},
        follow=True,
    )
    body = response.content.decode()
    assert "Scope changed: 0 lots came in, 1 went out." in body
    assert "certificate negative" in body
    rows = body.split("<tbody>")[1]  # the scope table
    assert f">{dough_made['pork'].code}<" not in rows


def test_a_scope_change_without_a_reason_or_for_an_unknown_lot_changes_nothing(
    quality_client, dough_made
):
    open_incident(quality_client, dough_made["dough"])
    incident = Incident.objects.get()
    url = reverse("incidents:incident-scope", args=[incident.number])
    no_reason = quality_client.post(
        url, {"lot": dough_made["pork"].code, "role": "excluded", "reason": ""}, follow=True
    )
    assert "This field is required." in no_reason.content.decode()
    unknown = quality_client.post(
        url, {"lot": "NO-SUCH-LOT", "role": "added", "reason": "x"}, follow=True
    )
    assert "No such lot." in unknown.content.decode()
    assert incident.lots.count() == 1
