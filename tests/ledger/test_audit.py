"""The audit trail page: events with who, when, where and why; the chain's state; read-only."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tracelot.accounts.roles import roles_sync
from tracelot.core.background import background_wait
from tracelot.ledger.background import RUNNING_KEY
from tracelot.ledger.models import ChainCheck, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client_as):
    return client_as("auditor")


def test_the_audit_trail_lists_events_with_who_and_why(auditor_client, dough_made):
    body = auditor_client.get(reverse("ledger:audit-trail")).content.decode()
    assert dough_made["dough"].code in body
    assert "Zhang Min" in body  # responsible
    assert dough_made["order"].number in body  # why: the sales order


def test_the_audit_trail_filters_by_lot_and_kind(auditor_client, dough_made):
    flour = dough_made["flour"]
    body = auditor_client.get(
        reverse("ledger:audit-trail"), {"lot": flour.code, "kind": "consume"}
    ).content.decode()
    assert body.count(f">{flour.code}</a>") == 1


def _verify(client):
    """Start the verification from the page, as a user does, and wait for the background run."""
    response = client.post(reverse("ledger:chain-verify"))
    background_wait(timeout=60)
    return response


def test_verifying_new_events_records_a_check_that_holds(
    flushable_ledger, auditor_client, dough_made
):
    _verify(auditor_client)
    check = ChainCheck.objects.get()
    assert check.ok
    assert check.last_position == Event.objects.count()
    body = auditor_client.get(reverse("ledger:audit-trail")).content.decode()
    assert "verifies" in body


def test_an_incremental_check_continues_from_the_last_good_one(
    flushable_ledger, auditor_client, dough_made, step, flour, receive
):
    _verify(auditor_client)
    receive(flour)
    _verify(auditor_client)
    first, second = ChainCheck.objects.order_by("pk")
    assert second.first_position == first.last_position + 1
    assert second.ok


def test_the_page_starts_the_verification_without_walking_the_chain_itself(
    auditor_client, dough_made
):
    """The walk runs away from the request; a second click while it runs starts nothing."""
    cache.set(RUNNING_KEY, timezone.now())  # as if a run were going
    try:
        response = auditor_client.post(reverse("ledger:chain-verify"), follow=True)
        body = response.content.decode()
        assert "A verification is already running." in body
        assert "reload this page to see its result" in body
        assert not ChainCheck.objects.exists()
    finally:
        cache.delete(RUNNING_KEY)


def test_the_page_counts_the_events_not_yet_checked_from_the_chain_head(auditor_client, dough_made):
    body = auditor_client.get(reverse("ledger:audit-trail")).content.decode()
    assert f"{Event.objects.count()} events since" in body


def test_an_auditor_cannot_change_anything(auditor_client, dough_made):
    lot = dough_made["flour"]
    for url in (
        reverse("admin:lots_lot_change", args=[lot.pk]),
        reverse("admin:items_item_add"),
    ):
        response = auditor_client.post(url, {})
        assert response.status_code in (302, 403)
    lot.refresh_from_db()
    assert lot.status == "released"
    assert not auditor_client.get("/").wsgi_request.user.has_perm("lots.hold_lot")


def test_an_operator_cannot_open_the_audit_trail(client, django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(username="op")
    user.groups.add(Group.objects.get(name="operator"))
    client.force_login(user)
    assert client.get(reverse("ledger:audit-trail")).status_code == 403


def test_the_audit_trail_exports_csv_and_xlsx_with_hashes(auditor_client, dough_made):
    import io

    from openpyxl import load_workbook

    url = reverse("ledger:audit-trail")
    csv_text = b"".join(auditor_client.get(url, {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    lines = csv_text.splitlines()
    assert lines[0].startswith("#,Occurred at")
    assert len(lines) == 1 + Event.objects.count()
    last = Event.objects.order_by("-pk").first()
    assert last.hash in lines[1]
    workbook = load_workbook(io.BytesIO(auditor_client.get(url, {"export": "xlsx"}).content))
    assert workbook.active.max_row == 1 + Event.objects.count()
