"""Hash-chain verification away from the web request: a page starts it and shows the result.

Walking a chain of millions of events takes minutes, longer than a request may hold a server
thread. The audit page starts one run and returns at once; the run records its `ChainCheck`
rows as usual, which the page shows. One run at a time: a second click while one runs is told so.
"""

from datetime import datetime

from django.core.cache import cache

from tracelot.core import clock
from tracelot.core.background import in_background
from tracelot.ledger.services import chain_verify_full, chain_verify_new_events
from tracelot.plants.models import Site

RUNNING_KEY = "tracelot:chain-verify:running"
RUNNING_SECONDS = 6 * 3600  # a run that died without clearing its mark stops blocking after this


def chain_verify_running() -> datetime | None:
    """When the verification now running started, or None when none runs."""
    return cache.get(RUNNING_KEY)


def chain_verify_start(*, site_ids: frozenset[int] | None, full: bool = False) -> bool:
    """Start verifying the new events of `site_ids` (None: every site), or with `full` every
    event and every lot, in the background; False when a run is already going."""
    if not cache.add(RUNNING_KEY, clock.now(), RUNNING_SECONDS):
        return False
    sites = Site.objects.order_by("pk")
    chosen = list(sites if site_ids is None else sites.filter(pk__in=site_ids))

    def verify() -> None:
        try:
            for site in chosen:
                if full:
                    chain_verify_full(site=site)
                else:
                    chain_verify_new_events(site=site)
        finally:
            cache.delete(RUNNING_KEY)

    in_background(verify, name="chain-verify")
    return True
