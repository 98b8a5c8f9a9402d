"""A transaction that lost a deadlock, run again: the loser is rolled back whole, so running
it again is safe, and the person who scanned gets an answer instead of an error."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

T = TypeVar("T")
ATTEMPTS = 3


def _lost_a_deadlock(error: OperationalError) -> bool:
    # PostgreSQL's SQLSTATE 40P01 (deadlock) and 40001 (serialization failure).
    return getattr(error.__cause__, "sqlstate", None) in ("40P01", "40001")


def deadlock_retried(work: Callable[[], T]) -> T:
    """`work()` (one whole transaction), run again up to ATTEMPTS times if it lost a deadlock.

    Inside an outer transaction (a test's, or a caller's) the loser cannot be run again alone:
    the error goes up to whoever owns that transaction.
    """
    if connection.in_atomic_block:
        return work()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return work()
        except OperationalError as error:
            if attempt == ATTEMPTS or not _lost_a_deadlock(error):
                raise
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover
