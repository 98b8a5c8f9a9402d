# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Work orders take their steps from their item's routing; order lines, work orders and
steps are checked and each change is recorded with its reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import (
    ItemFactory,
    LineFactory,
    OperatorFactory,
    SalesOrderFactory,
    ShiftFactory,
    SiteFactory,
)
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core.errors import Refused
from tracelot.items.models import ItemKind
from tracelot.orders.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    RoutingStep,
    SalesOrderLine,
    WorkOrder,
    WorkOrderStep,
)
from tracelot.orders.routing import work_order_steps_from_routing
from tracelot.orders.services import (
    purchase_order_line_save,
    routing_step_save,
    sales_order_line_save,
    work_order_create,
    work_order_save,
    work_order_step_responsible_set,
)
from tracelot.plants.models import Line, Shift

pytestmark = pytest.mark.django_db

STEP_VALUES = ("sequence", "operation", "name", "name_zh", "output_item_id", "responsible_id")


@pytest.fixture
def dumplings(db):
    return ItemFactory(code="DPC1K", name="Dumplings 1 kg", kind=ItemKind.FINISHED)


@pytest.fixture
def routing(dumplings, operator, quality_manager):
    """Mix, form and pack: dough, formed dumplings, then the finished cases."""
    dough = ItemFactory(code="DOUGH", kind=ItemKind.INTERMEDIATE)
    formed = ItemFactory(code="FORMED", kind=ItemKind.INTERMEDIATE)
    steps = [
        (30, "packing", "Packing", "包装", dumplings, quality_manager),
        (10, "mixing", "Dough mixing", "和面", dough, operator),
        (20, "forming", "Dumpling forming", "包制成型", formed, operator),
    ]
    return [
        RoutingStep.objects.create(
            item=dumplings,
            sequence=sequence,
            operation=operation,
            name=name,
            name_zh=name_zh,
            output_item=output,
            responsible=responsible,
        )
        for sequence, operation, name, name_zh, output, responsible in steps
    ]


def create(site, item, by, **overrides):
    line = Line.objects.filter(site=site, code="L1").first() or LineFactory(site=site, code="L1")
    shift = Shift.objects.filter(site=site, code="A").first() or ShiftFactory(site=site, code="A")
    values = {
        "site": site,
        "number": "WO-0001",
        "item": item,
        "line": line,
        "shift": shift,
        "planned_quantity": Decimal("480"),
        "ordered_on": dt.date(2025, 3, 14),
        "reason": "weekly plan",
        "by": by,
    }
    return work_order_create(**{**values, **overrides})


def test_a_new_work_order_gets_one_step_per_routing_step_in_order(site, dumplings, routing, by):
    work_order = create(site, dumplings, by)

    steps = list(work_order.steps.order_by("sequence").values_list(*STEP_VALUES))
    expected = sorted(
        (r.sequence, r.operation, r.name, r.name_zh, r.output_item_id, r.responsible_id)
        for r in routing
    )
    assert steps == expected
    assert work_order.status == "open"


def test_creating_a_work_order_records_it_and_each_step_with_who_where_and_why(
    site, dumplings, routing, by, planner
):
    work_order = create(site, dumplings, by)

    changes = list(MasterDataChange.objects.order_by("pk"))
    assert [c.content_type.model for c in changes] == ["workorder", *["workorderstep"] * 3]
    assert {(c.action, c.user, c.address, c.reason) for c in changes} == {
        (ChangeAction.ADDED, planner, "10.0.8.21", "weekly plan")
    }
    assert changes[0].object_id == str(work_order.pk)
    assert changes[0].changes["item"] == ["", "DPC1K Dumplings 1 kg"]
    assert changes[1].changes["operation"] == ["", "mixing"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "Item DPC1K has no routing, so its work order would have no steps; add the routing "
            "steps on the item's page first.",
        ),
        (
            "zh-hans",
            "物料 DPC1K 没有工艺路线，工单就没有工序；请先在该物料的页面上添加工艺路线工序。",
        ),
    ],
)
def test_an_item_without_a_routing_is_refused_and_nothing_is_written(
    site, dumplings, by, language, message
):
    with translation.override(language), pytest.raises(Refused) as refused:
        create(site, dumplings, by)
    assert (refused.value.code, refused.value.message) == ("routing_missing", message)
    assert not WorkOrder.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_work_order_without_a_reason_is_refused(site, dumplings, routing, by):
    with pytest.raises(Refused) as refused:
        create(site, dumplings, by, reason="")
    assert refused.value.code == "reason_missing"
    assert not WorkOrder.objects.exists()
    assert not WorkOrderStep.objects.exists()


def test_a_work_order_on_another_sites_line_is_refused(site, dumplings, routing, by, english):
    north_line = LineFactory(site=SiteFactory(code="NORTH"), code="L9", name="North line")
    with pytest.raises(Refused) as refused:
        create(site, dumplings, by, line=north_line)
    assert refused.value.message == "Line L9 North line belongs to site NORTH, not to site S1."
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The planned quantity of work order WO-0001 must be more than 0."),
        ("zh-hans", "工单 WO-0001 的计划数量必须大于 0。"),
    ],
)
def test_a_work_order_for_nothing_is_refused(site, dumplings, routing, by, language, message):
    with translation.override(language), pytest.raises(Refused) as refused:
        create(site, dumplings, by, planned_quantity=Decimal(0))
    assert refused.value.message == message
    assert not WorkOrder.objects.exists()


def test_a_duplicate_work_order_number_is_refused_and_writes_no_steps(site, dumplings, routing, by):
    create(site, dumplings, by)
    with pytest.raises(Refused) as refused:
        create(site, dumplings, by)
    assert refused.value.code == "record_invalid"
    assert WorkOrder.objects.count() == 1
    assert WorkOrderStep.objects.count() == 3


def test_a_later_routing_change_leaves_existing_work_orders_as_they_were(
    site, dumplings, routing, by
):
    work_order = create(site, dumplings, by)
    mixing = next(step for step in routing if step.operation == "mixing")
    mixing.name = "Dough mixing (vacuum)"
    routing_step_save(step=mixing, reason="new vacuum mixer", by=by)

    assert work_order.steps.get(operation="mixing").name == "Dough mixing"
    assert MasterDataChange.objects.latest("pk").changes == {
        "name": ["Dough mixing", "Dough mixing (vacuum)"]
    }


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "The item of work order WO-0001 cannot change: its steps come from the item's "
            "routing. Cancel it and create a new work order instead.",
        ),
        (
            "zh-hans",
            "工单 WO-0001 的物料不能更改：工序来自该物料的工艺路线。请取消此工单，另建新工单。",
        ),
    ],
)
def test_changing_a_work_orders_item_is_refused(site, dumplings, routing, by, language, message):
    work_order = create(site, dumplings, by)
    work_order.item = ItemFactory(code="DPC500", kind=ItemKind.FINISHED)
    with translation.override(language), pytest.raises(Refused) as refused:
        work_order_save(work_order=work_order, reason="other product", by=by)
    assert (refused.value.code, refused.value.message) == ("work_order_item_changed", message)
    assert WorkOrder.objects.get().item == dumplings


def test_closing_a_work_order_is_recorded(site, dumplings, routing, by):
    work_order = create(site, dumplings, by)
    work_order.status = "closed"
    work_order_save(work_order=work_order, reason="run finished", by=by, fields=["status"])
    change = MasterDataChange.objects.latest("pk")
    assert (change.action, change.changes) == (ChangeAction.CHANGED, {"status": ["open", "closed"]})


def test_a_steps_responsible_is_changed_and_recorded(site, dumplings, routing, by, operator):
    work_order = create(site, dumplings, by)
    packing = work_order.steps.get(operation="packing")
    night_lead = OperatorFactory(site=site, code="C01", name="Ma Chao")

    work_order_step_responsible_set(
        step=packing, responsible=night_lead, reason="night shift packs it", by=by
    )

    assert WorkOrderStep.objects.get(pk=packing.pk).responsible == night_lead
    change = MasterDataChange.objects.latest("pk")
    assert change.changes == {"responsible": ["QM-ZHANG Zhang Min", "C01 Ma Chao"]}


def test_a_step_cannot_be_answered_for_from_another_site(site, dumplings, routing, by):
    packing = create(site, dumplings, by).steps.get(operation="packing")
    stranger = OperatorFactory(site=SiteFactory(code="NORTH"))
    with pytest.raises(Refused) as refused:
        work_order_step_responsible_set(step=packing, responsible=stranger, reason="x", by=by)
    assert refused.value.code == "site_mismatch"
    assert WorkOrderStep.objects.get(pk=packing.pk).responsible_id != stranger.pk


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "FLOUR on order SO00001: the quantity must be more than 0."),
        ("zh-hans", "订单 SO00001 上的 FLOUR：数量必须大于 0。"),
    ],
)
def test_an_order_line_for_nothing_is_refused(by, language, message):
    order = SalesOrderFactory(number="SO00001")
    line = SalesOrderLine(order=order, item=ItemFactory(code="FLOUR"), quantity=Decimal(0))
    with translation.override(language), pytest.raises(Refused) as refused:
        sales_order_line_save(line=line, reason="customer order", by=by)
    assert (refused.value.code, refused.value.message) == ("order_quantity_not_positive", message)
    assert not SalesOrderLine.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_purchase_order_line_is_saved_and_recorded(site, by, supplier):
    order = PurchaseOrder.objects.create(
        site=site, number="PO1", supplier=supplier, ordered_on=dt.date(2025, 3, 14)
    )
    purchase_order_line_save(
        line=PurchaseOrderLine(order=order, item=ItemFactory(code="FLOUR"), quantity=Decimal(500)),
        reason="monthly flour",
        by=by,
    )
    change = MasterDataChange.objects.get()
    assert change.changes["quantity"] == ["", "500"]
    assert change.reason == "monthly flour"


def test_the_steps_a_routing_gives_are_in_sequence_order_whatever_the_input_order(routing):
    planned = work_order_steps_from_routing(routing=routing)
    assert [step.sequence for step in planned] == [10, 20, 30]
    assert planned[0].fields() == {
        "sequence": 10,
        "operation": "mixing",
        "name": "Dough mixing",
        "name_zh": "和面",
        "output_item_id": routing[1].output_item_id,
        "responsible_id": routing[1].responsible_id,
    }
