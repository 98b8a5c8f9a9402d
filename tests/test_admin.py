"""The admin: every registered model opens for a superuser in both languages; the ledger is
read-only there."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    BomLineFactory,
    CustomerFactory,
    LineFactory,
    LocationFactory,
    LotFactory,
    OperatorFactory,
    SalesOrderFactory,
    ShiftFactory,
    SiteFactory,
    SupplierFactory,
    WorkOrderStepFactory,
)
from tracelot.edges.models import Edge
from tracelot.ledger.models import ChainHead, Event, EventKind, Via
from tracelot.orders.models import PurchaseOrder, PurchaseOrderLine, RoutingStep, SalesOrderLine
from tracelot.plants.models import Station, Team

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
LANGUAGES = ["en", "zh-hans"]


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def event_create(*, lot, position: int, key: str) -> Event:
    # Written directly, not through the recording service: these tests look at the admin only.
    now = timezone.now()
    return Event.objects.create(
        site=lot.site,
        chain_position=position,
        kind=EventKind.RECEIVE,
        lot=lot,
        quantity=Decimal("100"),
        unit="kg",
        occurred_at=now,
        recorded_at=now,
        via=Via.SCAN,
        key=key,
        previous_hash="0" * 64,
        hash="1" * 64,
    )


@pytest.fixture
def records(db):
    """One row in every table the admin shows, so list columns and change pages render."""
    site = SiteFactory()
    line = LineFactory(site=site)
    shift = ShiftFactory(site=site)
    team = Team.objects.create(site=site, code="T1", name="Team 1", shift=shift)
    Station.objects.create(site=site, code="ST1", name="Mixer 1", line=line)
    LocationFactory(site=site)
    responsible = OperatorFactory(site=site, team=team)
    bom = BomLineFactory()
    RoutingStep.objects.create(
        item=bom.parent,
        sequence=1,
        operation="mixing",
        name="Mixing",
        output_item=bom.parent,
        responsible=responsible,
    )
    step = WorkOrderStepFactory(
        work_order__site=site,
        work_order__line=line,
        work_order__shift=shift,
        responsible=responsible,
    )
    order = PurchaseOrder.objects.create(
        site=site, number="PO1", supplier=SupplierFactory(), ordered_on=dt.date(2025, 1, 2)
    )
    PurchaseOrderLine.objects.create(order=order, item=bom.component, quantity=Decimal("10"))
    sales_order = SalesOrderFactory(site=site, customer=CustomerFactory())
    SalesOrderLine.objects.create(order=sales_order, item=step.output_item, quantity=Decimal("5"))
    source = LotFactory(site=site, item=bom.component)
    target = LotFactory(site=site, item=step.output_item, work_order=step.work_order)
    event_create(lot=source, position=1, key="receive-1")
    ChainHead.objects.create(site=site, position=1, hash="1" * 64)
    Edge.objects.create(site=site, source=source, target=target, step=step, quantity=Decimal("3"))
    return {"source": source, "target": target}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_a_superuser_can_open_the_changelist_add_and_change_pages_of_every_model(
    admin_client, records, model, language
):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    model_admin = admin.site._registry[model]

    changelist = admin_client.get(admin_url(model, "changelist"), **headers)
    assert changelist.status_code == 200
    assert f'lang="{language}"' in changelist.content.decode()

    add = admin_client.get(admin_url(model, "add"), **headers)
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)

    instance = model._default_manager.order_by("pk").first()
    if instance is not None:
        change = admin_client.get(admin_url(model, "change", instance.pk), **headers)
        assert change.status_code == 200


def test_every_master_data_and_ledger_model_is_registered():
    labels = {model._meta.label for model in REGISTERED}
    expected = {
        "plants.Site",
        "plants.Line",
        "plants.Station",
        "plants.Location",
        "plants.Shift",
        "plants.Team",
        "plants.Operator",
        "items.Item",
        "items.BomLine",
        "partners.Supplier",
        "partners.Customer",
        "orders.PurchaseOrder",
        "orders.PurchaseOrderLine",
        "orders.RoutingStep",
        "orders.WorkOrder",
        "orders.WorkOrderStep",
        "orders.SalesOrder",
        "orders.SalesOrderLine",
        "ledger.Event",
        "ledger.ChainHead",
        "genealogy.Edge",
    }
    assert expected <= labels


def test_the_event_admin_refuses_add_change_and_delete(admin_client, records):
    event = Event.objects.get()
    before = (event.quantity, event.reason)

    assert admin_client.get(admin_url(Event, "add")).status_code == 403
    assert admin_client.post(admin_url(Event, "add"), {"quantity": "1"}).status_code == 403
    changed = admin_client.post(
        admin_url(Event, "change", event.pk), {"quantity": "1", "reason": "typo"}
    )
    assert changed.status_code == 403
    assert admin_client.get(admin_url(Event, "delete", event.pk)).status_code == 403
    assert (
        admin_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"}).status_code == 403
    )

    event.refresh_from_db()
    assert (event.quantity, event.reason) == before
    assert (
        "delete_selected" not in admin_client.get(admin_url(Event, "changelist")).content.decode()
    )


@pytest.mark.parametrize("model", [ChainHead, Edge], ids=lambda model: model._meta.label)
def test_chain_heads_and_genealogy_edges_are_read_only_in_the_admin(admin_client, records, model):
    instance = model._default_manager.get()

    assert admin_client.get(admin_url(model, "add")).status_code == 403
    assert admin_client.post(admin_url(model, "change", instance.pk), {}).status_code == 403
    assert admin_client.get(admin_url(model, "delete", instance.pk)).status_code == 403


def test_events_are_found_by_exact_lot_code_or_key(admin_client, records):
    other = event_create(lot=records["target"], position=2, key="produce-2")

    by_lot = admin_client.get(admin_url(Event, "changelist"), {"q": records["target"].code})
    by_key = admin_client.get(admin_url(Event, "changelist"), {"q": "produce-2"})
    by_part = admin_client.get(admin_url(Event, "changelist"), {"q": "produce"})

    assert [row.pk for row in by_lot.context["cl"].result_list] == [other.pk]
    assert [row.pk for row in by_key.context["cl"].result_list] == [other.pk]
    assert list(by_part.context["cl"].result_list) == []


def test_the_event_changelist_query_count_does_not_grow_with_rows(
    admin_client, records, django_assert_max_num_queries
):
    url = admin_url(Event, "changelist")
    admin_client.get(url)  # warm the session and content-type caches
    for position in range(2, 32):
        event_create(lot=records["target"], position=position, key=f"k{position}")

    # On PostgreSQL one EXPLAIN asks the planner how many rows there are before counting.
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 6):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 31
