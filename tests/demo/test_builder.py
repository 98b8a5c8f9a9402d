"""The demo builder: deterministic, and writing exactly the rows the ledger would."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from tracelot.demo.builder import DemoBuilder
from tracelot.edges.models import Edge
from tracelot.items.models import Item, ItemKind
from tracelot.ledger.chain import HASHED_FIELDS, chain_first_break
from tracelot.ledger.models import ChainHead, Event
from tracelot.lots.models import Lot, LotSequence, LotStatus
from tracelot.lots.rules import gs1_check_digit
from tracelot.lots.services import lot_code_allocate
from tracelot.orders.models import RoutingStep, WorkOrder, WorkOrderStep
from tracelot.plants.models import Location, Operator, Site
from tracelot.quality.models import Inspection, InspectionPlan

UNTIL = date(2025, 3, 14)
LOTS = 900


def build(seed: int = 7, lots: int = LOTS):
    return DemoBuilder(lots=lots, seed=seed, until=UNTIL).build()


@pytest.fixture
def plant(db):
    return build()


def _snapshot():
    lots = list(Lot.objects.order_by("code").values_list("code", "quantity_on_hand", "status"))
    # Where a lot was and went is kept by location id; ids differ between builds on
    # PostgreSQL (sequences do not roll back), so locations are compared by their codes.
    codes = dict(Location.objects.values_list("pk", "code"))
    plans = dict(InspectionPlan.objects.values_list("pk", "item__code"))
    events = [
        (*row, {k: _by_code(k, v, codes, plans) for k, v in data.items()})
        for *row, data in Event.objects.order_by("chain_position").values_list(
            "kind", "lot__code", "quantity", "occurred_at", "data"
        )
    ]
    return lots, events


def _by_code(name, value, locations, plans):
    if name.startswith("location_"):
        return locations.get(value, value)
    return plans.get(value, value) if name == "plan" else value


@pytest.mark.django_db(transaction=False)
def test_the_same_seed_builds_the_same_lot_codes_and_quantities():
    with transaction.atomic():
        build(seed=7)
        first = _snapshot()
        transaction.set_rollback(True)
    build(seed=7)
    # Hashes cover row ids, which PostgreSQL does not roll back; the content is compared.
    assert _snapshot() == first
    assert len(first[0]) >= LOTS


@pytest.mark.django_db
def test_a_different_seed_builds_a_different_plant():
    with transaction.atomic():
        build(seed=7)
        first = _snapshot()
        transaction.set_rollback(True)
    build(seed=8)
    assert _snapshot() != first


def test_the_hash_chain_verifies_after_the_round_trip_through_the_database(plant):
    site = Site.objects.get()
    rows = (
        Event.objects.filter(site=site)
        .order_by("chain_position")
        .values(*HASHED_FIELDS, "previous_hash", "hash", "seal_key")
    )
    assert chain_first_break(rows.iterator()) is None
    last = rows.last()
    head = ChainHead.objects.get(site=site)
    assert (head.position, head.hash) == (last["chain_position"], last["hash"])
    assert Event.objects.count() == head.position
    recorded = list(Event.objects.order_by("chain_position").values_list("recorded_at", flat=True))
    assert recorded == sorted(recorded)


def _replay(events):
    """Fold a lot's events by the ledger's rules: (on hand, status, location)."""
    on_hand, status, location = Decimal(0), "", None
    emptied = {"consume": "consumed", "ship": "shipped", "scrap": "scrapped"}
    for kind, quantity, where, data in events:
        if kind in ("receive", "produce"):
            on_hand, status, location = quantity, data["status_after"], where
        elif kind in emptied:
            on_hand -= quantity
            status = emptied[kind] if on_hand == 0 else status
        elif kind == "return":
            on_hand, status, location = on_hand + quantity, "quarantine", where
        elif kind == "hold":
            status = "on_hold"
        elif kind == "release":
            status = "released"
        assert on_hand >= 0
        if "status_after" in data:
            assert data["status_after"] == status
    return on_hand, status, location


def test_every_lot_stands_as_its_events_imply(plant):
    events = defaultdict(list)
    for row in Event.objects.order_by("chain_position").values_list(
        "lot_id", "kind", "quantity", "location_id", "data"
    ):
        events[row[0]].append(row[1:])
    lots = Lot.objects.values_list("id", "quantity_on_hand", "status", "location_id")
    for lot_id, on_hand, status, location in lots:
        assert _replay(events[lot_id]) == (on_hand, status, location), lot_id


def test_finished_goods_start_in_quarantine_and_other_output_is_released(plant):
    produced = Event.objects.filter(kind="produce").select_related("lot__item")
    for event in produced:
        finished = event.lot.item.kind == ItemKind.FINISHED
        assert event.data["status_after"] == ("quarantine" if finished else "released")


def test_edges_join_every_input_to_every_output_of_each_step(plant):
    inputs = defaultdict(lambda: defaultdict(Decimal))
    outputs = defaultdict(set)
    for kind, lot_id, step_id, quantity in Event.objects.filter(step__isnull=False).values_list(
        "kind", "lot_id", "step_id", "quantity"
    ):
        if kind == "consume":
            inputs[step_id][lot_id] += quantity
        elif kind == "produce":
            outputs[step_id].add(lot_id)
    wanted = {
        (source, target, step_id): quantity
        for step_id, consumed in inputs.items()
        for source, quantity in consumed.items()
        for target in outputs[step_id]
    }
    edges = {(e.source_id, e.target_id, e.step_id): e.quantity for e in Edge.objects.all()}
    assert edges == wanted
    produced = set(Lot.objects.filter(work_order__isnull=False).values_list("id", flat=True))
    assert produced == {target for _source, target, _step in edges}


def test_step_events_name_the_steps_responsible_and_others_their_actor(plant):
    steps = {s.pk: s for s in WorkOrderStep.objects.select_related("work_order")}
    teams = dict(Operator.objects.values_list("pk", "team_id"))
    shifts = dict(Operator.objects.values_list("pk", "team__shift_id"))
    for event in Event.objects.all():
        assert event.team_id == teams[event.actor_id]
        assert event.recorded_at >= event.occurred_at
        if event.step_id:
            step = steps[event.step_id]
            assert event.responsible_id == step.responsible_id
            assert event.work_order_id == step.work_order_id
            assert event.line_id == step.work_order.line_id
            assert event.shift_id == step.work_order.shift_id
        else:
            assert event.responsible_id == event.actor_id
            assert event.shift_id == shifts[event.actor_id]


def test_work_orders_take_their_steps_from_their_items_routing(plant):
    columns = ("sequence", "operation", "name", "name_zh", "output_item_id")
    routing = defaultdict(list)
    for item_id, *step in RoutingStep.objects.order_by("sequence").values_list("item_id", *columns):
        routing[item_id].append(tuple(step))
    work_orders = WorkOrder.objects.prefetch_related("steps")
    assert work_orders.exists()
    for work_order in work_orders:
        steps = sorted(work_order.steps.all(), key=lambda step: step.sequence)
        assert [tuple(getattr(s, c) for c in columns) for s in steps] == routing[work_order.item_id]
        # Who answers for each step is the person at that station on the work order's shift.
        teams = {s.responsible.team.shift_id for s in steps}
        assert teams == {work_order.shift_id}


def test_raw_lots_carry_their_supplier_and_the_suppliers_lot_number(plant):
    raw = Lot.objects.filter(item__kind__in=[ItemKind.RAW, ItemKind.PACKAGING])
    assert raw.exists()
    for lot in raw:
        assert lot.supplier_id
        assert lot.supplier_lot
        assert lot.purchase_order_id
        assert lot.received_on
        assert lot.expires_on > lot.received_on
    assert not Lot.objects.filter(work_order__isnull=True, supplier__isnull=True).exists()


def test_lots_carry_a_valid_gtin_and_their_code_as_gs1_batch(plant):
    for lot in Lot.objects.all()[:300]:
        assert len(lot.gtin) == 14
        assert gs1_check_digit(digits=lot.gtin[:-1]) == lot.gtin[-1]
        assert lot.batch == lot.code
        assert len(lot.code) <= 20


def test_the_history_shows_each_kind_of_quality_decision(plant):
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"receive", "inspect", "hold", "release", "consume", "produce", "ship"} <= kinds
    assert {"scrap", "return"} <= kinds
    assert Event.objects.filter(kind="inspect", data__result="fail").exists()
    assert Lot.objects.filter(status=LotStatus.SHIPPED).exists()
    # a held lot released again, after a re-test or for rework
    held = set(Event.objects.filter(kind="hold").values_list("lot_id", flat=True))
    released_after = Event.objects.filter(kind="release", lot_id__in=held)
    assert released_after.exists()


def test_rework_puts_cycles_in_the_genealogy_and_links_later_work_orders(plant):
    loops = Edge.objects.filter(source_id=models_f("target_id"))
    assert loops.exists()
    finished = Item.objects.filter(kind=ItemKind.FINISHED)
    reworked = Edge.objects.filter(source__item__in=finished, target__item__in=finished).exclude(
        source__work_order=models_f("target__work_order")
    )
    assert reworked.exists()


def models_f(name):
    from django.db.models import F

    return F(name)


def test_live_allocation_continues_after_the_demos_numbers(plant):
    flour = Item.objects.get(code="FLOUR")
    last = Lot.objects.filter(item=flour).order_by("-created_at").first()
    code = lot_code_allocate(item=flour, site=Site.objects.get(), occurred_on=last.received_on)
    prefix, number = code.rsplit("-", 1)
    assert last.code.startswith(prefix)
    assert not Lot.objects.filter(code=code).exists()
    assert int(number) == int(last.code.rsplit("-", 1)[1]) + 1
    assert LotSequence.objects.exists()


def test_the_command_refuses_a_database_that_holds_lots(plant, capsys):
    with pytest.raises(CommandError, match="already holds lots"):
        call_command("demo", "--lots", "100")
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("demo", "--lots", "100")
    assert str(refused.value)


@pytest.mark.django_db
def test_the_command_builds_and_reports(capsys):
    call_command("demo", "--lots", "300", "--seed", "3", "--until", "2025-01-10")
    out = capsys.readouterr().out
    assert "lots" in out
    assert "events" in out
    assert Lot.objects.count() >= 300


def test_the_ledger_carries_on_after_the_demo(plant):
    from tracelot.ledger.services import lot_receive
    from tracelot.partners.models import Supplier

    site = Site.objects.get()
    before = ChainHead.objects.get(site=site).position
    event = lot_receive(
        site=site,
        item=Item.objects.get(code="PORK"),
        quantity=Decimal("1200"),
        supplier=Supplier.objects.get(code="S-THPK"),
        supplier_lot="TH25031401",
        actor=Operator.objects.get(code="WH01"),
        key="after-the-demo",
    )
    assert event.chain_position == before + 1
    rows = Event.objects.order_by("chain_position").values(
        *HASHED_FIELDS, "previous_hash", "hash", "seal_key"
    )
    assert chain_first_break(rows.iterator()) is None


def test_the_demo_plant_passes_the_integrity_check(plant):
    from tracelot.ledger.integrity import integrity_findings

    assert {f.check: f.count for f in integrity_findings()} == {
        "duplicate_lots": 0,
        "orphan_lots": 0,
        "unlinked_lots": 0,
        "negative_stock": 0,
        "mass_balance": 0,
        "projection": 0,
    }


def _texts_people_wrote():
    texts = list(Event.objects.exclude(reason="").values_list("reason", flat=True))
    for data in Event.objects.filter(kind="inspect").values_list("data", flat=True):
        texts.extend(value for value in data.values() if isinstance(value, str))
    return texts


def test_people_write_reasons_and_findings_in_one_language_not_both(plant):
    texts = _texts_people_wrote()
    assert texts
    assert not [text for text in texts if " / " in text]
    assert "Incoming inspection passed" in texts


def test_a_chinese_plant_writes_them_in_chinese(db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    build(lots=300)
    texts = _texts_people_wrote()
    assert "来料检验合格" in texts
    assert not [text for text in texts if " / " in text]


def test_every_inspection_of_the_history_is_recorded_against_its_items_plan(plant):
    inspected = Event.objects.filter(kind="inspect", data__has_key="plan")
    assert inspected.count() > 10
    assert Inspection.objects.count() == inspected.count()
    inspection = Inspection.objects.filter(result="fail").select_related("plan", "lot").first()
    assert inspection is not None
    assert inspection.plan.item_id == inspection.lot.item_id
    assert inspection.values.filter(result="fail").exists()
