"""Work a request starts but must not wait for, run in a thread of the server process.

Used for what is long (walking the whole hash chain) or only needs to be fresh enough (the
start page's counts). Each run gets its own database connections and closes them. A job table
and a worker replace these threads when the background worker arrives; until then a run that
the server's restart interrupts is simply not recorded, and the page that started it can be
used again.
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
