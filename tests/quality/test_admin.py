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


def test_adding_a_plan_saves_it_with_its_characteristics_through_the_service(admin_client, flour):
    from tracelot.audit.models import MasterDataChange

    page = admin_client.post(
        reverse("admin:quality_inspectionplan_add"),
        {
            "item": flour.pk,
            "name": "Flour incoming",
            "active": "on",
            "characteristics-TOTAL_FORMS": "2",
            "characteristics-INITIAL_FORMS": "0",
            "characteristics-0-sequence": "2",
            "characteristics-0-code": "SMELL",
            "characteristics-0-name": "Smell",
            "characteristics-0-kind": "attribute",
            "characteristics-1-sequence": "1",
            "characteristics-1-code": "MOIST",
            "characteristics-1-name": "Moisture",
            "characteristics-1-kind": "measured",
            "characteristics-1-upper_limit": "14",
            "change_reason": "incoming inspection for flour",
        },
    )

    assert page.status_code == 302, page.content.decode()[:3000]
    plan = InspectionPlan.objects.get()
    assert list(plan.characteristics.values_list("code", "sequence")) == [
        ("MOIST", 1),
        ("SMELL", 2),
    ]
    assert sorted(MasterDataChange.objects.values_list("content_type__model", flat=True)) == [
        "characteristic",
        "characteristic",
        "inspectionplan",
    ]


def test_a_plan_without_characteristics_is_refused_on_the_form(admin_client, flour, english):
    page = admin_client.post(
        reverse("admin:quality_inspectionplan_add"),
        {
            "item": flour.pk,
            "name": "Empty",
            "characteristics-TOTAL_FORMS": "0",
            "characteristics-INITIAL_FORMS": "0",
            "change_reason": "trying",
        },
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.non_field_errors() == [
        "An inspection plan needs at least one characteristic."
    ]
    assert not InspectionPlan.objects.exists()
