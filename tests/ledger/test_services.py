"""The ledger services: each event kind, its guards, idempotency and reversals."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from tracelot.core.errors import Refused
from tracelot.edges.models import Edge
from tracelot.ledger import services
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Event.objects.count(), Lot.objects.count(), Edge.objects.count()


def test_receiving_creates_a_quarantined_lot_with_the_supplier_lot_kept(
    site, flour, supplier, operator
):
    event = services.lot_receive(
        site=site,
        item=flour,
        quantity=Decimal("500"),
        supplier=supplier,
        supplier_lot=" WDF-240518A ",
        actor=operator,
        key="r1",
    )
    lot = event.lot
    assert lot.status == LotStatus.QUARANTINE
    assert lot.quantity_on_hand == 500
    assert lot.supplier_lot == "WDF-240518A"
    assert lot.code.startswith("FLOUR-")
    assert lot.expires_on == lot.received_on + dt.timedelta(days=180)
    assert event.kind == EventKind.RECEIVE
    assert event.actor == operator
    assert event.responsible == operator


def test_consuming_into_a_step_records_who_did_it_and_who_answers_for_it(
    step, flour, receive, operator, quality_manager
):
    lot = receive(flour)
    event = services.lot_consume(
        step=step, lot=lot, quantity=Decimal("40"), actor=operator, key="c1"
    )
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 60
    assert event.actor == operator
    assert event.responsible == quality_manager
    assert event.work_order == step.work_order
    assert event.line == step.work_order.line
    assert event.shift == step.work_order.shift


def test_producing_links_every_input_to_the_output_with_its_quantity(
    step, flour, pork, receive, operator
):
    flour_lot, pork_lot = receive(flour), receive(pork)
    services.lot_consume(step=step, lot=flour_lot, quantity=Decimal("80"), actor=operator, key="c1")
    services.lot_consume(step=step, lot=pork_lot, quantity=Decimal("20"), actor=operator, key="c2")
    output = services.lot_produce(step=step, quantity=Decimal("100"), actor=operator, key="p1").lot
    assert output.status == LotStatus.RELEASED  # intermediates are usable at once
    assert output.work_order == step.work_order
    edges = {(e.source_id, e.quantity) for e in Edge.objects.filter(target=output)}
    assert edges == {(flour_lot.pk, Decimal("80")), (pork_lot.pk, Decimal("20"))}


def test_consuming_after_the_output_exists_adds_to_its_edges(step, flour, receive, operator):
    lot = receive(flour)
    services.lot_consume(step=step, lot=lot, quantity=Decimal("10"), actor=operator, key="c1")
    output = services.lot_produce(step=step, quantity=Decimal("12"), actor=operator, key="p1").lot
    services.lot_consume(step=step, lot=lot, quantity=Decimal("5"), actor=operator, key="c2")
    assert Edge.objects.get(source=lot, target=output).quantity == 15


def test_consuming_everything_marks_the_lot_consumed(step, flour, receive, operator):
    lot = receive(flour, "30")
    services.lot_consume(step=step, lot=lot, quantity=Decimal("30"), actor=operator, key="c1")
    lot.refresh_from_db()
    assert lot.status == LotStatus.CONSUMED
    assert lot.quantity_on_hand == 0


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("hold", "lot_on_hold"),
        ("quarantine", "lot_in_quarantine"),
        ("expired", "lot_expired"),
        ("used_up", "lot_used_up"),
        ("not_on_bom", "lot_not_on_bom"),
        ("too_much", "quantity_over_on_hand"),
        ("zero", "quantity_not_positive"),
        ("shipped", "lot_already_shipped"),
    ],
)
def test_a_refused_consumption_writes_nothing(setup, code, step, flour, cabbage, receive, operator):
    lot = receive(cabbage if setup == "not_on_bom" else flour, release=setup != "quarantine")
    quantity = Decimal("10")
    if setup == "hold":
        services.lot_hold(lot=lot, reason="metal detector alarm", actor=operator, key="h")
    elif setup == "expired":
        Lot.objects.filter(pk=lot.pk).update(expires_on=dt.date(2000, 1, 1))
    elif setup == "used_up":
        services.lot_consume(step=step, lot=lot, quantity=Decimal("100"), actor=operator, key="u")
    elif setup == "too_much":
        quantity = Decimal("100.5")
    elif setup == "zero":
        quantity = Decimal("0")
    elif setup == "shipped":
        Lot.objects.filter(pk=lot.pk).update(status=LotStatus.SHIPPED)
    lot.refresh_from_db()
    before, on_hand = counts(), lot.quantity_on_hand
    with pytest.raises(Refused) as refusal:
        services.lot_consume(step=step, lot=lot, quantity=quantity, actor=operator, key="x")
    assert refusal.value.code == code
    assert lot.code in refusal.value.message or code == "quantity_not_positive"
    lot.refresh_from_db()
    assert counts() == before
    assert lot.quantity_on_hand == on_hand


def test_a_held_lot_is_refused_with_an_english_message(step, flour, receive, operator, english):
    lot = receive(flour)
    services.lot_hold(lot=lot, reason="metal detector alarm", actor=operator, key="h")
    with pytest.raises(Refused, match=f"Lot {lot.code} is on hold"):
        services.lot_consume(step=step, lot=lot, quantity=Decimal(1), actor=operator, key="x")


def test_a_held_lot_is_refused_with_a_chinese_message(step, flour, receive, operator, chinese):
    lot = receive(flour)
    services.lot_hold(lot=lot, reason="金属探测报警", actor=operator, key="h")
    with pytest.raises(Refused, match=f"批次 {lot.code} 已暂扣"):
        services.lot_consume(step=step, lot=lot, quantity=Decimal(1), actor=operator, key="x")


def test_shipping_an_unreleased_lot_is_refused(flour, receive, operator):
    from tests.factories import SalesOrderFactory

    lot = receive(flour, release=False)
    before = counts()
    with pytest.raises(Refused) as refusal:
        services.lot_ship(
            lot=lot,
            sales_order=SalesOrderFactory(site=lot.site, lines=[(flour, 10)]),
            quantity=Decimal(1),
            actor=operator,
            key="s",
        )
    assert refusal.value.code == "lot_in_quarantine"
    assert counts() == before


def test_shipping_all_of_a_lot_marks_it_shipped(flour, receive, operator):
    from tests.factories import SalesOrderFactory

    lot = receive(flour, "10")
    order = SalesOrderFactory(site=lot.site, lines=[(flour, 10)])
    event = services.lot_ship(
        lot=lot, sales_order=order, quantity=Decimal(10), actor=operator, key="s"
    )
    lot.refresh_from_db()
    assert lot.status == LotStatus.SHIPPED
    assert event.sales_order == order


def test_repeating_an_idempotency_key_returns_the_first_event_and_writes_nothing(
    step, flour, receive, operator
):
    lot = receive(flour)
    first = services.lot_consume(step=step, lot=lot, quantity=Decimal(5), actor=operator, key="k")
    before = counts()
    again = services.lot_consume(step=step, lot=lot, quantity=Decimal(5), actor=operator, key="k")
    lot.refresh_from_db()
    assert again.pk == first.pk
    assert counts() == before
    assert lot.quantity_on_hand == 95


def test_a_repeated_receive_does_not_use_up_a_lot_number(site, flour, supplier, operator):
    args = {
        "site": site,
        "item": flour,
        "quantity": Decimal(1),
        "supplier": supplier,
        "supplier_lot": "A",
        "actor": operator,
        "key": "same",
    }
    first = services.lot_receive(**args)
    again = services.lot_receive(**args)
    third = services.lot_receive(**{**args, "key": "other"})
    assert again.lot == first.lot
    assert third.lot.code.endswith("0002")


def test_hold_and_release_need_a_reason(flour, receive, operator):
    lot = receive(flour)
    with pytest.raises(Refused) as refusal:
        services.lot_hold(lot=lot, reason="  ", actor=operator, key="h")
    assert refusal.value.code == "reason_required"


def test_releasing_a_consumed_lot_is_refused(step, flour, receive, operator):
    lot = receive(flour, "1")
    services.lot_consume(step=step, lot=lot, quantity=Decimal(1), actor=operator, key="c")
    with pytest.raises(Refused) as refusal:
        services.lot_release(lot=lot, reason="ok", actor=operator, key="r")
    assert refusal.value.code == "lot_not_releasable"


def test_a_reversal_cancels_a_consumption_and_its_genealogy_edge(step, flour, receive, operator):
    lot = receive(flour)
    consumed = services.lot_consume(
        step=step, lot=lot, quantity=Decimal(100), actor=operator, key="c"
    )
    output = services.lot_produce(step=step, quantity=Decimal(1), actor=operator, key="p").lot
    assert Edge.objects.filter(source=lot, target=output).exists()
    reversal = services.event_reverse(
        event=consumed, reason="wrong lot scanned", actor=operator, key="rev"
    )
    lot.refresh_from_db()
    assert reversal.reverses == consumed
    assert lot.quantity_on_hand == 100
    assert lot.status == LotStatus.RELEASED
    assert not Edge.objects.filter(source=lot, target=output).exists()
    assert Event.objects.filter(pk=consumed.pk).exists()  # the original stays


def test_an_event_is_reversed_only_once(step, flour, receive, operator):
    lot = receive(flour)
    consumed = services.lot_consume(
        step=step, lot=lot, quantity=Decimal(1), actor=operator, key="c"
    )
    services.event_reverse(event=consumed, reason="wrong lot", actor=operator, key="r1")
    with pytest.raises(Refused) as refusal:
        services.event_reverse(event=consumed, reason="wrong lot", actor=operator, key="r2")
    assert refusal.value.code == "event_already_reversed"


def test_split_makes_a_linked_child_lot(flour, receive, operator):
    lot = receive(flour)
    child = services.lot_split(lot=lot, quantity=Decimal(30), actor=operator, key="s").other_lot
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 70
    assert child.quantity_on_hand == 30
    assert child.status == LotStatus.RELEASED
    assert child.supplier_lot == lot.supplier_lot
    assert Edge.objects.get(source=lot, target=child).quantity == 30


def test_merge_moves_quantity_into_a_lot_of_the_same_item(flour, pork, receive, operator):
    a, b, c = receive(flour), receive(flour), receive(pork)
    services.lot_merge(source=a, target=b, quantity=Decimal(100), actor=operator, key="m")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.quantity_on_hand, b.quantity_on_hand) == (LotStatus.CONSUMED, 0, 200)
    with pytest.raises(Refused) as refusal:
        services.lot_merge(source=c, target=b, quantity=Decimal(1), actor=operator, key="m2")
    assert refusal.value.code == "merge_item_mismatch"


def test_adjust_sets_the_counted_quantity_and_keeps_the_old_one(flour, receive, operator):
    lot = receive(flour)
    event = services.lot_adjust(
        lot=lot, counted=Decimal("97.5"), reason="stock count", actor=operator, key="a"
    )
    lot.refresh_from_db()
    assert lot.quantity_on_hand == Decimal("97.5")
    assert event.data["before"] == "100"


def test_scrap_move_return_and_inspect(flour, receive, operator):
    from tests.factories import LocationFactory, SalesOrderFactory

    lot = receive(flour)
    freezer = LocationFactory(site=lot.site, code="FREEZER")
    services.lot_move(lot=lot, location=freezer, actor=operator, key="mv")
    services.lot_inspect(
        lot=lot, characteristic="moisture", passed=False, value="15.2", actor=operator, key="i"
    )
    services.lot_scrap(lot=lot, quantity=Decimal(10), reason="torn bags", actor=operator, key="s")
    order = SalesOrderFactory(site=lot.site, lines=[(flour, 90)])
    services.lot_ship(lot=lot, sales_order=order, quantity=Decimal(90), actor=operator, key="sh")
    services.lot_return(
        lot=lot, sales_order=order, quantity=Decimal(5), reason="damaged", actor=operator, key="ret"
    )
    lot.refresh_from_db()
    assert lot.location == freezer
    assert lot.quantity_on_hand == 5
    assert lot.status == LotStatus.QUARANTINE
    inspect = Event.objects.get(key="i")
    assert inspect.data == {"characteristic": "moisture", "result": "fail", "value": "15.2"}


def test_occurred_at_and_recorded_at_are_kept_apart(flour, receive, operator, step):
    lot = receive(flour)
    when = dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)):
        event = services.lot_consume(
            step=step, lot=lot, quantity=Decimal(1), actor=operator, key="late", occurred_at=when
        )
    event.refresh_from_db()
    assert event.occurred_at == when
    assert event.recorded_at == dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_receiving_under_an_existing_code_is_refused(site, flour, supplier, operator, receive):
    lot = receive(flour)
    before = counts()
    with pytest.raises(Refused) as refusal:
        services.lot_receive(
            site=site,
            item=flour,
            quantity=Decimal(1),
            supplier=supplier,
            supplier_lot="X",
            actor=operator,
            key="dup",
            code=lot.code,
        )
    assert refusal.value.code == "lot_exists"
    assert counts() == before


def test_over_consumption_names_the_quantities_in_plain_digits(
    step, flour, receive, operator, english
):
    lot = receive(flour, "80")
    with pytest.raises(Refused, match=f"Lot {lot.code} has only 80 kg on hand, not 100."):
        services.lot_consume(step=step, lot=lot, quantity=Decimal(100), actor=operator, key="x")


def test_a_quantity_below_zero_is_refused_in_natural_chinese(step, flour, receive, operator):
    lot = receive(flour)
    with translation.override("zh-hans"), pytest.raises(Refused) as refusal:
        services.lot_consume(step=step, lot=lot, quantity=Decimal("-5"), actor=operator, key="n")
    assert refusal.value.message == "数量须大于零（当前：-5）。"  # noqa: RUF001
