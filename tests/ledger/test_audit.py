"""The audit trail page: events with who, when, where and why; the chain's state; read-only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.conftest import jobs_run
from tracelot.accounts.roles import roles_sync
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
    assert jobs_run() == 1  # the background worker's part
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
    """The walk is queued for the worker; a second click while it waits starts nothing."""
    auditor_client.post(reverse("ledger:chain-verify"))
    response = auditor_client.post(reverse("ledger:chain-verify"), follow=True)
    body = response.content.decode()
    assert "A verification is already running." in body
    assert "reload this page to see its result" in body
    assert not ChainCheck.objects.exists()
    assert jobs_run() == 1
    assert ChainCheck.objects.exists()


def test_the_page_counts_the_events_not_yet_checked_from_the_chain_head(auditor_client, dough_made):
    body = auditor_client.get(reverse("ledger:audit-trail")).content.decode()
    assert f"<td>{Event.objects.count()} events</td>" in body
    assert "never run" in body  # no full verification yet: nothing is claimed


def _full(client):
    client.post(reverse("ledger:chain-verify"), {"full": "1"})
    assert jobs_run() == 1


def test_an_event_altered_after_a_check_is_found_by_the_full_verification(
    flushable_ledger, auditor_client, dough_made, step, flour, receive
):
    from django.db import connection

    _full(auditor_client)
    receive(flour)
    _verify(auditor_client)
    body = auditor_client.get(reverse("ledger:audit-trail")).content.decode()
    full, since = ChainCheck.objects.order_by("pk")
    assert full.full
    assert full.lots_differing == 0
    assert not since.full
    assert f"events 1–{full.last_position}" in body  # noqa: RUF001 - the page's en dash
    assert f"events {since.first_position}–{since.last_position}" in body  # noqa: RUF001
    altered = Event.objects.get(chain_position=2)
    with connection.cursor() as cursor:  # behind the ledger's back, as an attacker would
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER ledger_event_no_update")
        else:
            cursor.execute("ALTER TABLE ledger_event DISABLE TRIGGER ledger_event_no_change")
        cursor.execute("UPDATE ledger_event SET reason = 'edited' WHERE id = %s", [altered.pk])
    _full(auditor_client)
    latest = ChainCheck.objects.latest("pk")
    assert latest.full
    assert latest.broken_at == 2
    body = auditor_client.get(reverse("ledger:audit-trail")).content.decode()
    assert "broken at event 2" in body
    if connection.vendor == "sqlite":  # put back for the flush, as it was
        from tests.conftest import TRIGGERS

        with connection.cursor() as cursor:
            cursor.execute(TRIGGERS.SQLITE[0][0])
    else:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE ledger_event ENABLE ALWAYS TRIGGER ledger_event_no_change")


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


def test_the_export_names_the_login_statuses_inspection_values_key_and_seal(
    client_as, dough_made, operator
):
    import csv
    import io

    from tracelot.ledger import services
    from tracelot.ledger.models import EventKind

    quality = client_as("quality", link_operator=True)
    flour = dough_made["flour"]
    quality.post(reverse("quality:lot-hold", args=[flour.code]), {"reason": "suspect"})
    services.lot_inspect(
        lot=flour, characteristic="moisture", passed=False, value="15.2", actor=operator, key="qc"
    )
    url = reverse("ledger:audit-trail")
    text = b"".join(quality.get(url, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    hold = next(r for r in rows if r["Kind"] == EventKind.HOLD)
    assert hold["Signed-in user"] == "quality"  # who was signed in, beside the operator
    assert (hold["Status before"], hold["Status after"]) == ("released", "on_hold")
    inspect = next(r for r in rows if r["Kind"] == EventKind.INSPECT)
    assert (inspect["Inspection result"], inspect["Inspection values"]) == ("fail", "15.2")
    assert inspect["Signed-in user"] == ""  # recorded by a service call, not a request
    event = Event.objects.get(key="qc")
    assert (inspect["Idempotency key"], inspect["Hash"]) == ("qc", event.hash)
    assert inspect["Sealed with key"] == event.seal_key != ""


def test_an_export_cut_at_its_row_limit_says_so(auditor_client, dough_made, monkeypatch):
    from tracelot.ledger import audit

    monkeypatch.setattr(audit, "EXPORT_LIMIT", 2)
    url = reverse("ledger:audit-trail")
    text = b"".join(auditor_client.get(url, {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    lines = text.splitlines()
    assert len(lines) == 1 + 2 + 1
    assert lines[-1].startswith("Cut here: the export holds the first 2 events")
