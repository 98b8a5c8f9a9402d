"""A reversal cancels its original exactly: on hand, status and location as they were."""

from decimal import Decimal

import pytest

from tests.factories import LocationFactory, SalesOrderFactory
from tracelot.core.errors import Refused
from tracelot.edges.models import Edge
from tracelot.ledger import services
from tracelot.ledger.kinds import KINDS, Draft
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.ledger.recording import record
from tracelot.lots.models import Lot, LotStatus

pytestmark = pytest.mark.django_db


def state(lot: Lot) -> tuple[Decimal, str, int | None]:
    lot.refresh_from_db()
    return lot.quantity_on_hand, lot.status, lot.location_id


def test_reversing_a_move_puts_the_lot_back_where_it_was(flour, receive, operator):
    lot = receive(flour, location=LocationFactory(code="DOCK"))
    before = state(lot)
    freezer = LocationFactory(site=lot.site, code="FREEZER")
    move = services.lot_move(lot=lot, location=freezer, actor=operator, key="mv")
    assert state(lot)[2] == freezer.pk
    services.event_reverse(event=move, reason="moved by mistake", actor=operator, key="rv")
    assert state(lot) == before


def test_reversing_a_move_after_a_later_move_is_refused_and_writes_nothing(
    flour, receive, operator
):
    lot = receive(flour)
    first, second = LocationFactory(site=lot.site), LocationFactory(site=lot.site)
    move = services.lot_move(lot=lot, location=first, actor=operator, key="mv1")
    services.lot_move(lot=lot, location=second, actor=operator, key="mv2")
    events = Event.objects.count()
    with pytest.raises(Refused) as refusal:
        services.event_reverse(event=move, reason="wrong", actor=operator, key="rv")
    assert refusal.value.code == "event_superseded"
    assert Event.objects.count() == events
    assert state(lot)[2] == second.pk


def _record(kind: str, lot: Lot, operator, step) -> Event:
    """One event of `kind` on `lot`, as a user would record it."""
    if kind == EventKind.CONSUME:
        return services.lot_consume(
            step=step, lot=lot, quantity=Decimal(30), actor=operator, key=kind
        )
    if kind == EventKind.SHIP:
        order = SalesOrderFactory(site=lot.site, lines=[(lot.item, 1000)])
        return services.lot_ship(
            lot=lot, sales_order=order, quantity=Decimal(30), actor=operator, key=kind
        )
    if kind == EventKind.SCRAP:
        return services.lot_scrap(
            lot=lot, quantity=Decimal(30), reason="torn", actor=operator, key=kind
        )
    if kind == EventKind.RETURN:
        order = SalesOrderFactory(site=lot.site, lines=[(lot.item, 1000)])
        services.lot_ship(
            lot=lot, sales_order=order, quantity=Decimal(100), actor=operator, key="s"
        )
        return services.lot_return(
            lot=lot,
            sales_order=order,
            quantity=Decimal(5),
            reason="damaged",
            actor=operator,
            key=kind,
            location=LocationFactory(site=lot.site),
        )
    if kind == EventKind.MOVE:
        location = LocationFactory(site=lot.site)
        return services.lot_move(lot=lot, location=location, actor=operator, key=kind)
    if kind == EventKind.HOLD:
        return services.lot_hold(lot=lot, reason="check", actor=operator, key=kind)
    if kind == EventKind.RELEASE:
        services.lot_hold(lot=lot, reason="check", actor=operator, key="h")
        return services.lot_release(lot=lot, reason="fine", actor=operator, key=kind)
    if kind == EventKind.INSPECT:
        return services.lot_inspect(
            lot=lot, characteristic="m", passed=True, actor=operator, key=kind
        )
    if kind == EventKind.ADJUST:
        return services.lot_adjust(
            lot=lot, counted=Decimal(93), reason="count", actor=operator, key=kind
        )
    if kind == EventKind.RECALL:
        order = SalesOrderFactory(site=lot.site, lines=[(lot.item, 1000)])
        services.lot_ship(lot=lot, sales_order=order, quantity=Decimal(1), actor=operator, key="s")
        return services.lot_recall(lot=lot, reason="INC-1", actor=operator, key=kind)
    if kind == EventKind.SEND_BACK:
        return record(
            [Draft(
                kind=kind, lot=lot, quantity=Decimal(30), key=kind, via=Via.MANUAL,
                actor=operator, reason="wet flour",
            )]
        )[0]  # fmt: skip
    raise AssertionError(kind)


REVERSIBLE_ON_A_LOT = [
    kind
    for kind, spec in KINDS.items()
    if spec.reversible and not spec.origin and kind != EventKind.PRODUCE
]


def test_every_reversible_kind_of_the_declaration_is_covered_here():
    assert set(REVERSIBLE_ON_A_LOT) == {
        EventKind.CONSUME, EventKind.SHIP, EventKind.SCRAP, EventKind.RETURN, EventKind.MOVE,
        EventKind.HOLD, EventKind.RELEASE, EventKind.INSPECT, EventKind.ADJUST,
        EventKind.RECALL, EventKind.SEND_BACK,
    }  # fmt: skip


@pytest.mark.parametrize("kind", REVERSIBLE_ON_A_LOT)
def test_a_reversal_cancels_its_original(kind, step, flour, receive, operator):
    lot = receive(flour, location=LocationFactory(code="DOCK"))
    original = _record(kind, lot, operator, step)
    before = Event.objects.filter(pk__lt=original.pk, lot=lot).order_by("-pk").first()
    expected = (
        (Decimal(100), LotStatus.RELEASED, before.location_id)
        if kind != EventKind.RETURN
        else (Decimal(0), LotStatus.SHIPPED, before.location_id)
    )
    if kind == EventKind.RELEASE:
        expected = (Decimal(100), LotStatus.ON_HOLD, before.location_id)
    if kind == EventKind.RECALL:
        expected = (Decimal(99), LotStatus.RELEASED, before.location_id)
    services.event_reverse(event=original, reason="recorded by mistake", actor=operator, key="rv")
    assert state(lot) == expected


def test_reversing_a_receipt_scraps_the_lot_that_never_was(flour, receive, operator):
    lot = receive(flour, release=False)
    services.event_reverse(
        event=Event.objects.get(lot=lot, kind=EventKind.RECEIVE),
        reason="received twice",
        actor=operator,
        key="rv",
    )
    assert state(lot)[:2] == (Decimal(0), LotStatus.SCRAPPED)


@pytest.mark.parametrize("kind", [EventKind.SPLIT, EventKind.MERGE])
def test_splits_and_merges_are_not_reversible(kind, flour, receive, operator):
    lot, other = receive(flour), receive(flour)
    if kind == EventKind.SPLIT:
        event = services.lot_split(lot=lot, quantity=Decimal(1), actor=operator, key="x")
    else:
        event = services.lot_merge(
            source=lot, target=other, quantity=Decimal(1), actor=operator, key="x"
        )
    with pytest.raises(Refused) as refusal:
        services.event_reverse(event=event, reason="no", actor=operator, key="rv")
    assert refusal.value.code == "event_not_reversible"
    assert Edge.objects.filter(source=lot).exists()
