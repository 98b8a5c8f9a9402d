"""Lots per status for the start page and the dashboard, counted away from the request.

Counting every lot is a scan of the whole table (seconds at ten million lots), so no page
waits for it except the very first after a start: the counts are kept in the cache, and a
view that finds them older than two minutes shows them and has them counted again in the
background.
"""

from datetime import datetime
from typing import Any

from django.core.cache import cache

from tracelot.core import clock
from tracelot.core.background import in_background
from tracelot.lots.models import LotStatus
from tracelot.lots.selectors import lot_counts_by_status

FRESH_SECONDS = 120
KEEP_SECONDS = 7 * 24 * 3600
RECOUNT_GUARD_SECONDS = 600  # one recount at a time per set of sites; a dead one stops blocking
CACHE_KEY = "tracelot:lot-counts"

Sites = frozenset[int] | None  # a user's door (plants.selectors.user_site_ids)


def _key(site_ids: Sites) -> str:
    return f"{CACHE_KEY}:" + ("all" if site_ids is None else ",".join(map(str, sorted(site_ids))))


def _count(site_ids: Sites) -> dict[str, Any]:
    return {"at": clock.now(), "counts": lot_counts_by_status(site_ids=site_ids)}


def _recount(site_ids: Sites) -> None:
    key = _key(site_ids)
    try:
        cache.set(key, _count(site_ids), KEEP_SECONDS)
    finally:
        cache.delete(f"{key}:recounting")


def lot_counts(*, site_ids: Sites) -> tuple[list[dict[str, Any]], datetime]:
    """The lots of `site_ids` per status, labelled in the active language, and when they were
    counted."""
    key = _key(site_ids)
    entry = cache.get(key)
    if entry is None:
        entry = _count(site_ids)
        cache.set(key, entry, KEEP_SECONDS)
    elif (clock.now() - entry["at"]).total_seconds() > FRESH_SECONDS and cache.add(
        f"{key}:recounting", True, RECOUNT_GUARD_SECONDS
    ):
        in_background(lambda: _recount(site_ids), name="lot-counts")
    labels = dict(LotStatus.choices)
    rows = [
        {"status": status, "label": labels.get(status, status), "count": count}
        for status, count in sorted(entry["counts"].items())
    ]
    return rows, entry["at"]
