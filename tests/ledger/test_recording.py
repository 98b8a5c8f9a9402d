"""The recording path: batches are all or nothing, and concurrent writers lose nothing."""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from tracelot.core.errors import Refused
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.ledger.recording import record
from tracelot.ledger.selectors import ledger_verify
from tracelot.lots.models import Lot


def consume(step, lot, quantity, key):
    return Draft(
        kind=EventKind.CONSUME, lot=lot, quantity=Decimal(quantity), key=key, via=Via.API, step=step
    )


@pytest.mark.django_db
def test_a_batch_is_recorded_in_order_with_one_chain(step, flour, receive):
    lot = receive(flour, "100")
    events = record([consume(step, lot, 10, f"b{i}") for i in range(10)])
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 0
    assert lot.status == "consumed"
    assert [e.chain_position for e in events] == list(range(3, 13))
    assert ledger_verify(site=lot.site).ok


@pytest.mark.django_db
def test_a_refusal_anywhere_in_a_batch_writes_nothing(step, flour, receive):
    lot = receive(flour, "25")
    before = Event.objects.count()
    drafts = [consume(step, lot, 10, f"b{i}") for i in range(3)]  # the third is one too many
    with pytest.raises(Refused) as refusal:
        record(drafts)
    assert refusal.value.code == "quantity_over_on_hand"
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 25
    assert Event.objects.count() == before


@pytest.mark.django_db
def test_a_key_repeated_inside_a_batch_is_recorded_once(step, flour, receive):
    lot = receive(flour, "25")
    events = record([consume(step, lot, 5, "same"), consume(step, lot, 5, "same")])
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 20
    assert len({e.pk for e in events}) == 1


def test_concurrent_writers_lose_no_event_and_keep_one_chain(
    flushable_ledger, step, flour, receive
):
    lot = receive(flour, "1000")
    threads, errors, per_thread, workers = [], [], 25, 6

    def write(worker: int) -> None:
        try:
            for i in range(per_thread):
                record([consume(step, Lot(pk=lot.pk, site_id=lot.site_id), 1, f"w{worker}-{i}")])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    for worker in range(workers):
        threads.append(threading.Thread(target=write, args=(worker,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    lot.refresh_from_db()
    assert Event.objects.filter(kind=EventKind.CONSUME).count() == workers * per_thread
    assert lot.quantity_on_hand == 1000 - workers * per_thread
    assert ledger_verify(site=lot.site).ok


@pytest.mark.django_db
def test_a_batch_across_two_sites_gives_each_edge_its_own_steps_site(
    step, flour, pork, dough, receive, operator
):
    from tests.factories import (
        OperatorFactory,
        SiteFactory,
        SupplierFactory,
        WorkOrderStepFactory,
    )
    from tracelot.edges.models import Edge
    from tracelot.ledger import services

    other_site = SiteFactory(code="S2", name="Plant Two")
    other_operator = OperatorFactory(site=other_site)
    other_step = WorkOrderStepFactory(
        work_order__site=other_site,
        work_order__item=dough,
        work_order__line__site=other_site,
        work_order__shift__site=other_site,
        output_item=dough,
        responsible=other_operator,
    )
    here = receive(flour)
    there = services.lot_receive(
        site=other_site,
        item=pork,
        quantity=Decimal(50),
        supplier=SupplierFactory(),
        supplier_lot="P-9",
        actor=other_operator,
        key="r-there",
    ).lot
    services.lot_release(lot=there, reason="ok", actor=other_operator, key="rel-there")
    made_here = Lot(site=step.work_order.site, item=dough, work_order=step.work_order)
    made_there = Lot(site=other_site, item=dough, work_order=other_step.work_order)
    record(
        [
            consume(step, here, 8, "c-here"),
            consume(other_step, Lot.objects.get(pk=there.pk), 2, "c-there"),
            Draft(
                kind=EventKind.PRODUCE,
                lot=made_here,
                quantity=Decimal(10),
                key="p-here",
                via=Via.API,
                step=step,
            ),
            Draft(
                kind=EventKind.PRODUCE,
                lot=made_there,
                quantity=Decimal(10),
                key="p-there",
                via=Via.API,
                step=other_step,
            ),
        ]
    )
    assert Edge.objects.get(step=step).site_id == step.work_order.site_id
    assert Edge.objects.get(step=other_step).site_id == other_site.pk
