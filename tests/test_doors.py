"""Every page, with every role and with a user of another site: who may open it, who sees what.

Each URL of Tracelot's own apps is listed here with the permission it needs (a new URL fails
`test_every_url_is_walked` until it is added), then opened by each role of accounts.roles, by
the same roles working at another site, and anonymously.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import OperatorFactory, SiteFactory
from tracelot.accounts.roles import ROLES, roles_sync
from tracelot.accounts.signatures import signer_verify
from tracelot.incidents.drills import drill_run
from tracelot.incidents.models import Severity, Source
from tracelot.incidents.recalling import recall_start
from tracelot.incidents.services import incident_open
from tracelot.plants.models import SiteMembership

pytestmark = pytest.mark.django_db

# URL name → (permission needed or None for everyone, method, the plant objects it names).
# "object" pages name one lot or order of the plant: another site's user gets 404 there.
PAGES = {
    "start": (None, "get", None),
    "reports:dashboard": ("lots.view_lot", "get", None),
    "reports:lot-trace-pdf": ("lots.view_lot", "get", "lot"),
    "reports:packing-list": ("lots.view_lot", "get", "order"),
    "reports:incident-report-pdf": ("incidents.view_incident", "get", "incident"),
    "reports:incident-report-xlsx": ("incidents.view_incident", "get", "incident"),
    "lotpages:lot-search": ("lots.view_lot", "get", None),
    "lotpages:lot-detail": ("lots.view_lot", "get", "lot"),
    "lotpages:lot-trace": ("lots.view_lot", "get", "lot"),
    "lotpages:lot-trace-json": ("lots.view_lot", "get", "lot"),
    "lotpages:lot-trace-xlsx": ("lots.view_lot", "get", "lot"),
    "labels:lot-label-pdf": ("lots.view_lot", "get", "lot"),
    "labels:lot-label-zpl": ("lots.view_lot", "get", "lot"),
    "quality:inspection-new": ("quality.add_inspection", "get", "lot"),
    "quality:lot-hold": ("lots.hold_lot", "post", "lot"),
    "quality:lot-release": ("lots.release_lot", "post", "lot"),
    "warehouse:receiving": ("lots.receive_lot", "get", None),
    "warehouse:shipping": ("lots.ship_lot", "get", None),
    "warehouse:shipment": ("lots.ship_lot", "get", "order"),
    "capture:station": ("capture.use_station", "get", None),
    "capture:station-step": ("capture.use_station", "get", "step"),
    "capture:station-scan": ("capture.use_station", "post", "step"),
    "capture:station-output": ("capture.use_station", "post", "step"),
    "capture:station-settings": ("capture.use_station", "post", "step"),
    "capture:station-scrap": ("capture.use_station", "post", "step"),
    "ledger:audit-trail": ("ledger.view_event", "get", None),
    "alerts:alert-list": (None, "get", None),
    "quality:lot-charts": ("lots.view_lot", "get", "lot"),
    "quality:chart-list": ("quality.view_inspection", "get", None),
    "quality:item-charts": ("quality.view_inspection", "get", "item"),
    "ledger:chain-verify": ("ledger.view_event", "post", None),
    "incidents:incident-list": ("incidents.view_incident", "get", None),
    "incidents:incident-new": ("incidents.add_incident", "get", "lot"),
    "incidents:incident-new-from": ("incidents.add_incident", "get", None),
    "incidents:incident-photo": ("incidents.view_incident", "get", "incident-photo"),
    "incidents:incident-detail": ("incidents.view_incident", "get", "incident"),
    "incidents:incident-contain": ("incidents.contain_incident", "post", "incident"),
    "incidents:incident-scope": ("incidents.change_incident", "post", "incident"),
    "incidents:incident-decide": ("quality.add_decision", "post", "incident"),
    "incidents:incident-decision-approve": ("quality.add_decision", "post", "incident-pk"),
    "incidents:incident-action-add": ("incidents.add_action", "post", "incident"),
    "incidents:incident-action-progress": ("incidents.change_action", "post", "incident-pk"),
    "incidents:incident-close": ("incidents.change_incident", "post", "incident"),
    "incidents:recall-start": ("incidents.add_recall", "post", "incident"),
    "incidents:recall-notify": ("incidents.change_recall", "post", "incident"),
    "incidents:recall-close": ("incidents.change_recall", "post", "incident"),
    "incidents:recall-acknowledge": ("incidents.change_recall", "post", "recall-customer"),
    "incidents:recall-return": ("incidents.change_recall", "post", "recall-customer"),
    "incidents:recall-letter": ("incidents.view_recall", "get", "recall-customer"),
    "incidents:drill-list": ("incidents.view_drill", "get", None),
    "incidents:drill-run": ("incidents.add_drill", "post", None),
    "incidents:drill-schedule": ("incidents.add_drill", "post", None),
    "incidents:drill-detail": ("incidents.view_drill", "get", "drill"),
}
# Posts that answer by sending the browser back to the page they came from.
REDIRECTS = {
    "ledger:chain-verify",
    "capture:station-settings",
    "incidents:incident-contain",
    "incidents:incident-scope",
    "incidents:incident-decide",
    "incidents:incident-decision-approve",
    "incidents:incident-action-add",
    "incidents:incident-action-progress",
    "incidents:incident-close",
    "incidents:recall-start",
    "incidents:recall-notify",
    "incidents:recall-close",
    "incidents:recall-acknowledge",
    "incidents:recall-return",
    "incidents:drill-run",
    "incidents:drill-schedule",
}
# Pages about what every site shares (an item), showing only the user's sites' records in it.
SHARED = {"quality:item-charts"}
# Pages about one user's own records: only that user gets further than 404 (tests/alerts).
PERSONAL = {"alerts:alert-acknowledge"}
# Pages anyone may open, signed in or not (signing in, resetting a password).
PUBLIC = {"accounts:login", "accounts:logout", "accounts:language", "accounts:password-reset",
          "accounts:password-reset-sent", "accounts:password-reset-confirm",
          "accounts:password-reset-complete", "set_language"}  # fmt: skip


def _names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":  # Django's own, with its own permission checks
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_is_walked():
    assert set(_names(get_resolver().url_patterns)) == set(PAGES) | PUBLIC | PERSONAL


@pytest.fixture
def plant(dough_made, step, site, quality_manager, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    incident = incident_open(
        site=site,
        title="Complaint",
        severity=Severity.MINOR,
        owner=quality_manager,
        opened_by=quality_manager,
        source=Source.LOT,
        lot_ids=[dough_made["dough"].pk],
        photos=[default_storage.save("incidents/photo.png", ContentFile(b"\x89PNG"))],
    )
    # A recall under way, started by a quality manager who signs with a password.
    signer = django_user_model.objects.create_user(username="zhang", password="pw-Zhang-1")
    recall = recall_start(
        incident=incident,
        signer=signer_verify(user=signer, password="pw-Zhang-1", meaning="approved", subject="x"),
        actor=quality_manager,
        key="recall",
    )
    drill = drill_run(lot=dough_made["flour"], by=quality_manager)  # a mock recall kept
    return {
        "incident": {"number": incident.number},
        "incident-pk": {"number": incident.number, "pk": 1},
        "incident-photo": {"number": incident.number, "index": 0},
        "recall-customer": {
            "number": incident.number,
            "code": recall.customers.get().customer.code,
        },
        "drill": {"pk": drill.pk},
        "lot": {"code": dough_made["dough"].code},
        "item": {"code": dough_made["dough"].item.code},
        "order": {"number": dough_made["order"].number},
        "step": {"number": step.work_order.number, "sequence": step.sequence},
        "codes": [dough_made[name].code for name in ("flour", "pork", "dough")],
    }


def _client(django_user_model, role, site):
    user = django_user_model.objects.create_user(username=f"{role}-{site.code}")
    user.groups.add(Group.objects.get(name=role))
    SiteMembership.objects.create(user=user, site=site)
    OperatorFactory(site=site, user=user)  # who the ledger names when this user acts
    client = Client()
    client.force_login(user)
    return client, user


def _open(client, name, method, kwargs):
    url = reverse(name, kwargs=kwargs)
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_its_permissions_allow(
    role, plant, site, django_user_model
):
    roles_sync()
    client, user = _client(django_user_model, role, site)
    for name, (permission, method, names) in PAGES.items():
        response = _open(client, name, method, plant[names] if names else None)
        allowed = permission is None or user.has_perm(permission)
        expected = ({302} if name in REDIRECTS else {200}) if allowed else {403}
        assert response.status_code in expected, (role, name, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_a_user_of_another_site_finds_none_of_this_sites_lots_or_orders(
    role, plant, django_user_model
):
    roles_sync()
    client, user = _client(django_user_model, role, SiteFactory(code="S2", name="Plant Two"))
    for name, (permission, method, names) in PAGES.items():
        if permission is not None and not user.has_perm(permission):
            continue
        response = _open(client, name, method, plant[names] if names else None)
        if names is not None and name not in SHARED:
            assert response.status_code == 404, (role, name, response.status_code)
            continue
        ok = 302 if name in REDIRECTS else 200
        assert response.status_code == ok, (role, name, response.status_code)
        body = response.content.decode(errors="replace")
        leaked = [code for code in plant["codes"] if code in body]
        assert leaked == [], (role, name, leaked)


def test_a_user_of_another_site_finds_nothing_by_searching_for_this_sites_lots(
    plant, django_user_model
):
    roles_sync()
    client, _user = _client(django_user_model, "auditor", SiteFactory(code="S2", name="Two"))
    for code in plant["codes"]:
        results = client.get(reverse("lotpages:lot-search"), {"text": code}, HTTP_HX_REQUEST="true")
        assert f"/lots/{code}/" not in results.content.decode()  # no row links to it
        csv = b"".join(
            client.get(reverse("lotpages:lot-search"), {"text": code, "export": "csv"})
        ).decode("utf-8-sig")
        assert code not in csv


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_page(plant, client):
    for name, (permission, method, names) in PAGES.items():
        if permission is None:
            continue
        response = _open(client, name, method, plant[names] if names else None)
        assert response.status_code == 302, (name, response.status_code)
        assert reverse("accounts:login") in response["Location"]
