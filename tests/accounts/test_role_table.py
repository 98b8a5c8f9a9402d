"""The role table of accounts.roles, as each role meets it: the audit trail is for quality
and the auditor; an operator learns that a lot was shipped, never to whom."""

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.factories import OperatorFactory
from tracelot.accounts.roles import roles_sync
from tracelot.plants.models import SiteMembership

pytestmark = pytest.mark.django_db

HEMA = "Hema Fresh"  # the customer of dough_made


def _as(role, site, django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(username=role)
    user.groups.add(Group.objects.get(name=role))
    SiteMembership.objects.create(user=user, site=site)
    OperatorFactory(site=site, user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "opens"),
    [("operator", False), ("warehouse", False), ("planner", False), ("quality", True),
     ("auditor", True)],
)  # fmt: skip
def test_the_audit_trail_is_for_quality_and_the_auditor(
    role, opens, site, dough_made, django_user_model
):
    client = _as(role, site, django_user_model)
    status = client.get(reverse("ledger:audit-trail")).status_code
    assert (status == 200) is opens, (role, status)


@pytest.mark.parametrize(("role", "names"), [("operator", False), ("warehouse", True),
                                             ("quality", True), ("auditor", True)])  # fmt: skip
def test_customer_names_only_for_roles_that_deal_with_customers(
    role, names, site, dough_made, django_user_model
):
    client = _as(role, site, django_user_model)
    dough, flour = dough_made["dough"], dough_made["flour"]
    pages = [
        client.get(reverse("lotpages:lot-detail", args=[dough.code])).content.decode(),
        client.get(
            reverse("lotpages:lot-trace", args=[flour.code]), {"direction": "forward"}
        ).content.decode(),
        client.get(reverse("lotpages:lot-search")).content.decode(),
        client.get(reverse("lotpages:lot-search"), {"text": "Hema"}).content.decode(),
    ]
    trace = json.loads(
        client.get(
            reverse("lotpages:lot-trace-json", args=[flour.code]), {"direction": "forward"}
        ).content
    )
    shown = any(HEMA in page for page in pages) or HEMA in json.dumps(trace, ensure_ascii=False)
    assert shown is names, role
    # Either way the lot is known to be shipped, on its sales order.
    (shipment,) = trace["shipments"]
    assert shipment["sales_order"] == dough_made["order"].number
