"""The dashboard: output, QC pass rates, holds and expiring lots, in both languages."""

import json
import re

import pytest
from django.urls import reverse

from tracelot.ledger import services
from tracelot.reports.dashboard import qc_weekly_pass_rates
from tracelot.reports.figures import figures_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality_client(client_as):
    return client_as("quality")


@pytest.fixture
def inspected(dough_made, operator):
    flour, pork = dough_made["flour"], dough_made["pork"]
    services.lot_inspect(
        lot=flour, characteristic="moisture", passed=True, actor=operator, key="i1"
    )
    services.lot_inspect(lot=pork, characteristic="temp", passed=False, actor=operator, key="i2")
    services.lot_hold(lot=pork, reason="temperature", actor=operator, key="h")
    return dough_made


def test_pass_rates_count_each_supplier(inspected):
    figures_refresh()
    (supplier,) = qc_weekly_pass_rates(site_ids=None)["supplier"]
    assert (supplier["name"], supplier["passed"], supplier["total"]) == ("Wudefu Flour Mill", 1, 2)
    assert supplier["rate"] == 50.0


def test_the_dashboard_shows_holds_and_the_chart_data(
    quality_client, inspected, django_assert_max_num_queries
):
    figures_refresh()  # as the demo and `tracelot rebuild_figures` leave it
    # Sign-in 5, the user's sites 1, the figures' up-to-date check 3, charts 5, holds with
    # their reasons 3, expiring 2, expired 2, refusals 1, the person's name in the header 1,
    # the alert bell 1, the integrity check's runs 1:
    # a fixed number, whatever the number of lots and events.
    with django_assert_max_num_queries(26):  # + the overdue corrective actions
        response = quality_client.get(reverse("reports:dashboard"))
    body = response.content.decode()
    assert inspected["pork"].code in body  # the open hold
    data = json.loads(
        re.search(r'id="charts-data" type="application/json">(.*?)</script>', body, re.S).group(1)
    )
    assert len(data["output"]["days"]) == 30
    assert data["qc"]["supplier"][0]["rate"] == 50.0


def test_the_dashboard_speaks_chinese(quality_client, inspected):
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    body = quality_client.get(reverse("reports:dashboard")).content.decode()
    assert "个批次已暂扣" in body or "暂扣" in body
    assert "仪表盘" in body


def test_each_language_gets_its_own_figures_even_from_the_cache(
    quality_client, client_as, inspected
):
    figures_refresh()
    english = quality_client.get(reverse("reports:dashboard")).content.decode()
    assert "Wudefu Flour Mill" in english

    chinese_client = client_as("auditor")
    chinese_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    chinese = chinese_client.get(reverse("reports:dashboard")).content.decode()
    assert "五得利面粉厂" in chinese
    assert "Wudefu Flour Mill" not in chinese
    charts = re.search(r'id="charts-data" type="application/json">(.*?)</script>', chinese, re.S)
    assert "已放行" in json.dumps(json.loads(charts.group(1)), ensure_ascii=False)  # status labels


def test_a_supplier_named_like_a_script_is_shown_as_text_and_no_inline_script_may_run(
    quality_client, inspected, supplier
):
    supplier.name = "</script><script>alert(document.cookie)</script>"
    supplier.save()
    figures_refresh()
    response = quality_client.get(reverse("reports:dashboard"))
    body = response.content.decode()
    assert "<script>alert" not in body
    data = json.loads(
        re.search(r'id="charts-data" type="application/json">(.*?)</script>', body, re.S).group(1)
    )
    assert data["qc"]["supplier"][0]["name"] == supplier.name
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)
    assert " onchange=" not in body
    assert " onclick=" not in body


def test_expired_lots_on_hand_and_holds_say_what_where_why_and_how_long(
    quality_client, inspected, flour, receive
):
    from datetime import timedelta

    from django.utils import timezone

    from tracelot.lots.models import Lot

    lot = receive(flour, "40")
    Lot.objects.filter(pk=lot.pk).update(expires_on=timezone.localdate() - timedelta(days=2))
    body = quality_client.get(reverse("reports:dashboard")).content.decode()
    assert "1 expired lot still on hand" in body
    assert f"{lot.code}</a> Flour · 40 kg" in body
    assert "?expired=on" in body
    assert "held 0 days · temperature" in body  # the pork's hold: its age and reason
    listed = quality_client.get(reverse("lotpages:lot-search"), {"expired": "on"})
    assert lot.code in listed.content.decode()
    assert inspected["pork"].code not in listed.content.decode()
