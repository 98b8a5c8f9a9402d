"""Lot codes stay unique when many connections allocate at once (SQLite and PostgreSQL)."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.factories import ItemFactory, SiteFactory
from tests.lots.conftest import LotRuleFactory
from tracelot.core import clock
from tracelot.lots.models import Lot, LotSequence, LotStatus
from tracelot.lots.services import lot_code_allocate

THREADS = 8
PER_THREAD = 25


def _run_threads(work) -> tuple[list[str], list[BaseException]]:
    """Run `work()` PER_THREAD times on each of THREADS threads, each on its own connection."""
    barrier = threading.Barrier(THREADS)
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            for _ in range(PER_THREAD):
                code = work()
                with lock:
                    codes.append(code)
        except BaseException as error:  # reported by the test, not lost in the thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return codes, errors


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_give_the_same_code_twice():
    site = SiteFactory()
    item = ItemFactory(code="FLOUR")
    LotRuleFactory(template="{item}-{seq:6}", reset="never", is_default=True)
    today = clock.today()

    # No sequence row exists yet, so the threads also race to create it.
    codes, errors = _run_threads(lambda: lot_code_allocate(item=item, site=site, occurred_on=today))

    assert errors == []
    assert len(codes) == THREADS * PER_THREAD
    assert len(set(codes)) == len(codes)
    numbers = Counter(int(code.rsplit("-", 1)[1]) for code in codes)
    assert sorted(numbers) == list(range(1, THREADS * PER_THREAD + 1))
    assert LotSequence.objects.get().last_value == THREADS * PER_THREAD


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_with_lots_written_beside_them_stay_unique():
    site = SiteFactory()
    items = [ItemFactory(code="FLOUR"), ItemFactory(code="SUGAR")]
    # The fallback rule: no LotRule row at all.
    today = clock.today()
    turn = iter(range(THREADS * PER_THREAD))
    turn_lock = threading.Lock()

    def allocate_and_store() -> str:
        with turn_lock:
            item = items[next(turn) % 2]
        with transaction.atomic():
            code = lot_code_allocate(item=item, site=site, occurred_on=today)
            Lot.objects.create(
                site=site,
                code=code,
                item=item,
                batch=code[:20],
                status=LotStatus.QUARANTINE,
                quantity_on_hand=0,
                unit="kg",
                created_at=timezone.now(),
            )
        return code

    codes, errors = _run_threads(allocate_and_store)

    assert errors == []
    assert len(set(codes)) == len(codes) == THREADS * PER_THREAD
    assert Lot.objects.count() == THREADS * PER_THREAD
    assert sorted(LotSequence.objects.filter(rule=None).values_list("last_value", flat=True)) == [
        THREADS * PER_THREAD // 2,
        THREADS * PER_THREAD // 2,
    ]
