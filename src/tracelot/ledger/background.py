"""Hash-chain verification away from the web request: a page queues it for the background
worker (core.jobs) and shows the result.

Walking a chain of millions of events takes minutes, longer than a request may hold a server
thread. The audit page queues one run and returns at once; the run records its `ChainCheck`
rows as usual, which the page shows. One run at a time: a second click while one waits or runs
is told so.
"""

from datetime import datetime

from tracelot.core import clock
from tracelot.core.jobs import job_enqueue, jobs_waiting

JOB = "chain-verify"


def chain_verify_running() -> datetime | None:
    """When the verification waiting or running was asked for, or None when there is none."""
    waiting = jobs_waiting(JOB)
    return min(datetime.fromisoformat(args[2]) for args in waiting) if waiting else None


def chain_verify_start(*, site_ids: frozenset[int] | None, full: bool = False) -> bool:
    """Queue the verification of the new events of `site_ids` (None: every site), or with
    `full` of every event and every lot; False when one waits or runs already."""
    if chain_verify_running() is not None:
        return False
    chosen = sorted(site_ids) if site_ids is not None else None
    job_enqueue(
        "tracelot.ledger.jobs.chain_verify_job",
        chosen,
        full,
        clock.now().isoformat(),
        name=JOB,
        watched=True,
    )
    return True
