"""The item's control charts: one per measured characteristic and line, with its limits,
Cp/Cpk and the lots that broke a rule; only the user's sites' results."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import SiteFactory
from tracelot.accounts.roles import roles_sync
from tracelot.plants.models import SiteMembership
from tracelot.quality.services import inspection_record

pytestmark = pytest.mark.django_db

STEADY = [12.0, 12.2, 11.9, 12.1, 12.0, 11.8, 12.1, 12.0, 11.9, 12.2] * 2


@pytest.fixture
def measured(receive, flour, flour_plan, by_code, quality_manager):
    """Twenty steady moisture results, then one beyond 3 sigma (still in specification)."""

    def inspect(moisture: float, key: str):
        values = by_code(MOIST=Decimal(str(moisture)), ASH=Decimal("0.50"), SMELL="pass")
        return inspection_record(lot=receive(flour, release=False), plan=flour_plan,
                                 values=values, inspector=quality_manager, key=key)  # fmt: skip

    steady = [inspect(moisture, f"qc-{n}") for n, moisture in enumerate(STEADY)]
    return steady, inspect(13.5, "outlier")


def _signed_in(client, django_user_model, site, name):
    roles_sync()
    user = django_user_model.objects.create_user(username=name)
    user.groups.add(Group.objects.get(name="quality"))
    SiteMembership.objects.create(user=user, site=site)
    client.force_login(user)
    return client


def test_the_item_page_draws_each_measured_characteristic_and_names_the_lot_that_broke_a_rule(
    client, django_user_model, site, flour, measured
):
    steady, outlier = measured
    _signed_in(client, django_user_model, site, "liang")
    listing = client.get(reverse("quality:chart-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page_url = reverse("quality:item-charts", args=[flour.code])
    assert page_url in listing
    page = client.get(page_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Control charts of {flour.display_name}" in page
    assert page.count('<section class="control-chart">') == 2  # moisture and ash, no line
    assert "1 rule broken" in page
    outlier_url = reverse("lotpages:lot-detail", args=[outlier.lot.code])
    assert f'<a href="{outlier_url}">{outlier.lot.code}</a>: one point beyond 3 sigma' in page
    assert steady[0].lot.code not in page  # only the lots that broke a rule are listed
    assert "Cpk" in page
    chinese = client.get(page_url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"{flour.display_name}" in chinese
    assert "控制图" in chinese


def test_a_user_of_another_site_sees_none_of_this_sites_results(
    client, django_user_model, flour, measured
):
    _steady, outlier = measured
    _signed_in(client, django_user_model, SiteFactory(code="S2", name="Two"), "wang")
    page = client.get(reverse("quality:item-charts", args=[flour.code]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert outlier.lot.code not in body
    assert "No measured result of this item at your sites yet." in body


def test_the_lot_page_links_to_every_chart_of_its_item(
    client, django_user_model, site, flour, measured
):
    _steady, outlier = measured
    _signed_in(client, django_user_model, site, "liang")
    charts = client.get(reverse("quality:lot-charts", args=[outlier.lot.code])).content.decode()
    assert reverse("quality:item-charts", args=[flour.code]) in charts
