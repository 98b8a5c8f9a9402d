"""The audit trail of people: sign-ins and failures, sign-outs, password, role and site
changes and exports are recorded, each a sealed link of its own chain."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from tests.factories import SiteFactory
from tracelot.accounts.roles import roles_sync
from tracelot.audit.models import AccessKind, AccessRecord, MasterDataChange
from tracelot.audit.trail import trail_verify
from tracelot.plants.models import SiteMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(username="zhang", password="pw-zhang-1")
    user.groups.add(Group.objects.get(name="quality"))
    return user


def _kinds(**filters):
    return list(
        AccessRecord.objects.filter(**filters).order_by("position").values_list("kind", flat=True)
    )


def test_sign_in_failure_and_sign_out_are_recorded_with_the_address(client, zhang):
    login = reverse("accounts:login")
    client.post(login, {"username": "zhang", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    client.post(login, {"username": "nobody", "password": "x"}, REMOTE_ADDR="10.0.0.8")
    client.post(login, {"username": "zhang", "password": "pw-zhang-1"}, REMOTE_ADDR="10.0.0.7")
    client.post(reverse("accounts:logout"))
    failed = AccessRecord.objects.filter(kind=AccessKind.SIGN_IN_FAILED).order_by("position")
    assert [(r.username, r.address) for r in failed] == [
        ("zhang", "10.0.0.7"),
        ("nobody", "10.0.0.8"),
    ]
    assert "wrong" not in str(list(failed.values_list("detail", flat=True)))
    assert _kinds(user=zhang)[-2:] == [AccessKind.SIGN_IN, AccessKind.SIGN_OUT]


def test_password_role_and_site_changes_are_recorded(zhang, client):
    zhang.set_password("a-new-password-2")
    zhang.save()
    zhang.groups.add(Group.objects.get(name="planner"))
    site = SiteFactory()
    SiteMembership.objects.create(user=zhang, site=site)
    kinds = _kinds(user=zhang)
    assert AccessKind.PASSWORD_CHANGED in kinds
    roles = AccessRecord.objects.filter(user=zhang, kind=AccessKind.ROLES_CHANGED).last()
    assert roles.detail == {"change": "add", "roles": ["planner", "quality"]}
    sites = AccessRecord.objects.get(user=zhang, kind=AccessKind.SITES_CHANGED)
    assert sites.detail == {"sites": [site.code]}


def test_an_export_names_who_took_which_file(client, zhang):
    client.force_login(zhang)
    client.get(reverse("ledger:audit-trail"), {"export": "xlsx"})
    record = AccessRecord.objects.get(kind=AccessKind.EXPORTED)
    assert record.user == zhang
    assert record.detail == {"file": "audit-trail.xlsx"}


def test_the_trails_are_chained_and_a_rewritten_record_is_found(client, zhang):
    login = reverse("accounts:login")
    for _ in range(3):
        client.post(login, {"username": "zhang", "password": "wrong"})
    report = trail_verify(AccessRecord)
    assert report.ok
    assert report.records == AccessRecord.objects.count() >= 3
    second = AccessRecord.objects.order_by("position")[1]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_accessrecord_no_update")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_accessrecord DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_accessrecord SET username = 'someone' WHERE id = %s", [second.pk]
        )
    assert trail_verify(AccessRecord).broken_at == second.position
    assert trail_verify(MasterDataChange).ok


def test_the_audit_page_lists_and_exports_the_access_records(client, zhang, django_user_model):
    roles_sync()
    auditor = django_user_model.objects.create_user(username="auditor", password="pw-audit-9")
    auditor.groups.add(Group.objects.get(name="auditor"))
    client.post(reverse("accounts:login"), {"username": "zhang", "password": "wrong"})
    client.force_login(auditor)
    body = client.get(reverse("ledger:audit-trail")).content.decode()
    assert "Sign-ins, rights and exports" in body
    assert "sign-in failed" in body
    assert "given · roles: auditor" in body  # the auditor's own role, given above
    text = b"".join(
        client.get(reverse("ledger:audit-trail"), {"export": "access-csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "sign-in failed,zhang" in text


def test_a_pdf_report_and_a_json_trace_are_recorded_as_exports(client_as, dough_made):
    client = client_as("quality")
    dough = dough_made["dough"]
    report = client.get(reverse("reports:lot-trace-pdf", args=[dough.code]))
    trace = client.get(reverse("lotpages:lot-trace-json", args=[dough.code]))
    assert report.status_code == trace.status_code == 200
    assert report.content.startswith(b"%PDF")
    assert dough.code in {lot["code"] for lot in trace.json()["lots"]}
    files = [
        record.detail["file"]
        for record in AccessRecord.objects.filter(kind=AccessKind.EXPORTED).order_by("position")
    ]
    assert files == [f"trace-backward-{dough.code}.pdf", f"trace-backward-{dough.code}.json"]
    assert {r.username for r in AccessRecord.objects.filter(kind=AccessKind.EXPORTED)} == {
        "quality"
    }


def test_a_role_given_twice_or_from_the_roles_side_is_recorded_once_per_change(
    zhang, django_user_model
):
    quality = Group.objects.get(name="quality")
    before = AccessRecord.objects.filter(kind=AccessKind.ROLES_CHANGED).count()
    zhang.groups.add(quality)  # zhang has it already
    assert AccessRecord.objects.filter(kind=AccessKind.ROLES_CHANGED).count() == before
    li = django_user_model.objects.create_user(username="li", password="pw-li-12345")
    quality.user_set.add(li)
    record = AccessRecord.objects.filter(kind=AccessKind.ROLES_CHANGED).last()
    assert (record.user, record.detail) == (li, {"change": "add", "roles": ["quality"]})
