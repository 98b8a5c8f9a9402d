"""The demo ends in a live plant: each role finds work to do on its first visit."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from tracelot.demo.logins import demo_password
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import OrderStatus, PurchaseOrder, SalesOrder, WorkOrder
from tracelot.quality.models import InspectionPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", lots=400, seed=3, verbosity=0)


def test_todays_and_tomorrows_work_orders_are_open_on_both_lines_with_routed_steps(demo):
    open_orders = WorkOrder.objects.filter(status=OrderStatus.OPEN)
    assert open_orders.values("line").distinct().count() == 2
    assert open_orders.values("number").count() == 4
    for order in open_orders:
        steps = list(order.steps.order_by("sequence").values_list("operation", flat=True))
        routing = list(order.item.routing.order_by("sequence").values_list("operation", flat=True))
        assert steps == routing


def test_open_sales_orders_can_be_shipped_from_released_stock(demo):
    orders = SalesOrder.objects.filter(status=OrderStatus.OPEN)
    assert orders.exists()
    for order in orders:
        line = order.lines.get()
        released = Lot.objects.filter(
            item=line.item, status=LotStatus.RELEASED, quantity_on_hand__gt=0
        )
        assert sum(lot.quantity_on_hand for lot in released) >= line.quantity > Decimal(0)


def test_open_purchase_orders_and_plans_in_both_languages(demo):
    assert PurchaseOrder.objects.filter(status=OrderStatus.OPEN).exists()
    plans = InspectionPlan.objects.filter(active=True)
    inspected = {"FLOUR", "PORK", "CABBAGE", "SEASON", "FILM", "CARTON", "FROZEN", "DPC1K",
                 "DPC500"}  # fmt: skip
    assert set(plans.values_list("item__code", flat=True)) == inspected
    assert all(plan.name_zh for plan in plans)
    assert all(c.name_zh for plan in plans for c in plan.characteristics.all())


FIRST_LINKS = {
    "operator": "/capture/station/",
    "warehouse": "/warehouse/receiving/",
    "quality": "/lots/?status=quarantine",
    "planner": "/admin/",
    "auditor": "/audit/",
}


def test_the_start_page_tells_each_role_what_to_try_first(demo, client):
    call_command("demo_logins", verbosity=0)
    for role, link in FIRST_LINKS.items():
        client.login(username=role, password=demo_password(role))
        body = client.get("/").content.decode()
        assert "What to try first" in body, role
        assert f'href="{link}"' in body, role
        client.logout()


def test_an_anonymous_visitor_sees_no_plant_data_on_the_start_page(demo, client):
    body = client.get(reverse("start")).content.decode()
    assert "What to try first" not in body
    assert "DPC1K" not in body


def test_this_mornings_deliveries_wait_in_quarantine_for_quality(demo):
    waiting = Lot.objects.filter(status=LotStatus.QUARANTINE, received_on__isnull=False)
    assert waiting.count() >= 3
    for lot in waiting:
        assert InspectionPlan.objects.filter(item=lot.item, active=True).exists()
        assert lot.purchase_order is not None
