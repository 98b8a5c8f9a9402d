"""Work orders in the admin: added through the service that copies the routing's steps;
their steps are never typed by hand, only who answers for one may change."""

import pytest
from django.urls import reverse

from tests.factories import ItemFactory, LineFactory, OperatorFactory, ShiftFactory
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.items.models import ItemKind
from tracelot.orders.models import RoutingStep, WorkOrder, WorkOrderStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def dumplings(db):
    return ItemFactory(code="DPC1K", name="Dumplings 1 kg", kind=ItemKind.FINISHED)


@pytest.fixture
def page_data(site, dumplings):
    return {
        "site": site.pk,
        "number": "WO-0001",
        "item": dumplings.pk,
        "line": LineFactory(site=site).pk,
        "shift": ShiftFactory(site=site).pk,
        "planned_quantity": "480",
        "ordered_on": "2025-03-14",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "change_reason": "weekly plan",
    }


def test_adding_a_work_order_copies_the_routing_and_records_it(
    admin_client, page_data, dumplings, operator
):
    for sequence, operation in ((10, "mixing"), (20, "packing")):
        RoutingStep.objects.create(
            item=dumplings, sequence=sequence, operation=operation, name=operation.title(),
            output_item=dumplings, responsible=operator,
        )  # fmt: skip

    page = admin_client.post(reverse("admin:orders_workorder_add"), page_data)

    assert page.status_code == 302, page.content.decode()[:3000]
    work_order = WorkOrder.objects.get()
    assert list(work_order.steps.values_list("sequence", "operation")) == [
        (10, "mixing"),
        (20, "packing"),
    ]
    assert work_order.status == "open"
    assert [c.content_type.model for c in MasterDataChange.objects.order_by("pk")] == [
        "workorder",
        "workorderstep",
        "workorderstep",
    ]
    assert page["Location"].endswith("/admin/orders/workorder/")


def test_a_work_order_for_an_item_without_a_routing_is_refused_on_the_form(
    admin_client, page_data, english
):
    page = admin_client.post(reverse("admin:orders_workorder_add"), page_data)

    assert page.status_code == 200
    assert "Item DPC1K has no routing" in page.context["adminform"].form.errors["item"][0]
    assert not WorkOrder.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_the_add_page_asks_no_status_and_the_change_page_keeps_the_item(admin_client, step):
    add = admin_client.get(reverse("admin:orders_workorder_add"))
    assert "status" not in add.context["adminform"].form.fields
    assert "steps are copied from this item's routing" in add.content.decode()
    change = admin_client.get(reverse("admin:orders_workorder_change", args=[step.work_order.pk]))
    assert "item" not in change.context["adminform"].form.fields
    assert "DOUGH" in change.content.decode()  # the steps are shown, read-only


def test_steps_are_not_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:orders_workorderstep_add")).status_code == 403


def test_changing_who_answers_for_a_step_is_recorded(admin_client, step, site):
    night_lead = OperatorFactory(site=site, code="C01", name="Ma Chao")
    url = reverse("admin:orders_workorderstep_change", args=[step.pk])

    page = admin_client.post(
        url, {"responsible": night_lead.pk, "change_reason": "night shift packs it"}
    )

    assert page.status_code == 302, page.content.decode()[:3000]
    assert WorkOrderStep.objects.get(pk=step.pk).responsible == night_lead
    change = MasterDataChange.objects.get()
    assert (change.action, change.changes) == (
        ChangeAction.CHANGED,
        {"responsible": ["QM-ZHANG Zhang Min", "C01 Ma Chao"]},
    )
