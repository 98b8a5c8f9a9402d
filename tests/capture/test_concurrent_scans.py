"""Scans of one lot at two stations at once: every scan gets an answer, none is lost."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import WorkOrderStepFactory
from tracelot.capture.models import ScanLog
from tracelot.capture.services import station_scan_input
from tracelot.ledger.models import Event, EventKind

pytestmark = pytest.mark.usefixtures("flushable_ledger")


def test_twenty_scans_of_one_lot_at_two_stations_all_get_an_answer(
    step, dough, flour, receive, operator, quality_manager
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: scans cannot deadlock there")
    other = WorkOrderStepFactory(
        work_order__site=step.work_order.site,
        work_order__item=dough,
        work_order__line=step.work_order.line,
        work_order__shift=step.work_order.shift,
        output_item=dough,
        responsible=quality_manager,
    )
    lot = receive(flour, "10000")
    start = threading.Barrier(20)
    answers, errors = [], []

    def scan(n: int) -> None:
        try:
            start.wait()
            answer = station_scan_input(
                step=step if n % 2 else other, text=lot.code, operator=operator, key=f"s{n}"
            )
            answers.append(answer)
        except Exception as error:  # the test reports any
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(answers) == 20
    assert ScanLog.objects.count() == 20
    consumed = sum(
        Event.objects.filter(kind=EventKind.CONSUME).values_list("quantity", flat=True),
        Decimal(0),
    )
    lot.refresh_from_db()
    assert lot.quantity_on_hand == Decimal(10000) - consumed
