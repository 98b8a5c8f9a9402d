"""The admin: plans are edited with their characteristics inline; inspections are read-only."""

import pytest
from django.urls import reverse

from tracelot.quality.models import Inspection, InspectionPlan
from tracelot.quality.services import inspection_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(receive, flour, flour_plan, by_code, quality_manager):
    return inspection_record(
        lot=receive(flour),
        plan=flour_plan,
        values=by_code(MOIST="12", ASH="0.9", SMELL="pass"),
        inspector=quality_manager,
        key="qc-admin",
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_plan_opens_with_its_characteristics_inline(admin_client, flour_plan, language):
    url = reverse("admin:quality_inspectionplan_change", args=[flour_plan.pk])
    body = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "MOIST" in body
    assert "SMELL" in body
    assert admin_client.get(reverse("admin:quality_inspectionplan_add")).status_code == 200


def test_an_inspection_shows_its_values_and_cannot_be_added_changed_or_deleted(
    admin_client, inspection
):
    change = reverse("admin:quality_inspection_change", args=[inspection.pk])
    body = admin_client.get(change).content.decode()
    assert "0.9" in body
    assert admin_client.get(reverse("admin:quality_inspection_add")).status_code == 403
    assert admin_client.post(change, {"result": "pass"}).status_code == 403
    delete = reverse("admin:quality_inspection_delete", args=[inspection.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    inspection.refresh_from_db()
    assert inspection.result == "fail"
    assert Inspection.objects.count() == 1


def test_the_inspection_list_opens(admin_client, inspection):
    response = admin_client.get(reverse("admin:quality_inspection_changelist"))
    assert response.status_code == 200
    assert InspectionPlan.objects.count() == 1
