"""A transaction that lost a deadlock runs again; any other error does not."""

import pytest
from django.db import OperationalError

from tracelot.core.retry import ATTEMPTS, deadlock_retried


class _Deadlock(Exception):
    sqlstate = "40P01"


def _lost(state: str = "40P01") -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = _Deadlock() if state == "40P01" else ValueError()
    return error


def test_a_deadlock_loser_runs_again_and_answers():
    calls = []

    def work() -> str:
        calls.append(1)
        if len(calls) < ATTEMPTS:
            raise _lost()
        return "done"

    assert deadlock_retried(work) == "done"
    assert len(calls) == ATTEMPTS


def test_other_database_errors_are_not_retried():
    calls = []

    def work() -> None:
        calls.append(1)
        raise _lost("other")

    with pytest.raises(OperationalError):
        deadlock_retried(work)
    assert len(calls) == 1
