"""Work a request starts but must not wait for, run in a thread of the server process.

Only for what needs no record and may be lost with the process: the start page's counts,
which only need to be fresh enough. Each run gets its own database connections and closes
them. Work that must not be lost (the chain verification, alerts, e-mails) is a job for the
background worker instead (core.jobs).
"""

import logging
import threading
from collections.abc import Callable

from django.db import connections

logger = logging.getLogger(__name__)

_runs: list[threading.Thread] = []


def in_background(work: Callable[[], None], *, name: str) -> None:
    """Run `work` in a daemon thread; its failure is logged, never raised into a request."""

    def run() -> None:
        try:
            work()
        except Exception:
            logger.exception("Background work %s failed", name)
        finally:
            connections.close_all()  # this thread's own connections; the server's stay open

    thread = threading.Thread(target=run, name=name, daemon=True)
    # A long-running server keeps only the runs still going.
    _runs[:] = [*(other for other in _runs if other.is_alive()), thread]
    thread.start()


def background_wait(timeout: float | None = None) -> None:
    """Wait for every run this process started (the tests' way to see their outcome)."""
    while _runs:
        _runs.pop().join(timeout)
