"""Two submissions of one inspection at the same moment: one is recorded, both get it."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tracelot.quality.models import Inspection
from tracelot.quality.services import inspection_record

pytestmark = pytest.mark.usefixtures("flushable_ledger")


def test_a_double_submitted_inspection_is_recorded_once_and_both_get_it(
    receive, flour, flour_plan, quality_manager
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: two submissions cannot race there")
    lot = receive(flour)
    values = {c.pk: Decimal(12) if c.code == "MOIST" else (Decimal("0.4") if c.code == "ASH" else True)
              for c in flour_plan.characteristics.all()}  # fmt: skip
    start = threading.Barrier(2)
    answers, errors = [], []

    def submit() -> None:
        try:
            start.wait()
            inspection = inspection_record(
                lot=lot, plan=flour_plan, values=values, inspector=quality_manager, key="twice"
            )
            answers.append(inspection.pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(answers)) == 1
    assert Inspection.objects.count() == 1
