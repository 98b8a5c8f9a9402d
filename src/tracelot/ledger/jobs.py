"""The ledger's jobs, run by `tracelot worker` (core.jobs): checkpoints of each site's chain
head and the daily integrity check on schedules, the chain verification the audit page asks
for. Each is safe to run twice."""

import logging

from django.utils import translation

from tracelot.ledger.checkpoints import checkpoints_write
from tracelot.ledger.integrity import integrity_run
from tracelot.ledger.models import ChainHead
from tracelot.ledger.services import chain_verify_full, chain_verify_new_events
from tracelot.plants.models import Site

logger = logging.getLogger(__name__)

# The heads of the last checkpoint this worker wrote: an unchanged ledger is not sent again.
_written: list[list[tuple[str, int]]] = [[]]


def checkpoints_job() -> str:
    """Write a checkpoint of each site when events were added since the last one."""
    heads = sorted(ChainHead.objects.values_list("site__code", "position"))
    if heads == _written[0]:
        return "unchanged"
    taken, failures = checkpoints_write()
    if failures:
        # Raised, so the job shows as failed with the reason and is tried again.
        raise RuntimeError("; ".join(failures))
    _written[0] = heads
    return f"{len(taken)} checkpoints"


def integrity_check_job() -> str:
    """The daily integrity check of the lot data, stored with its findings (new ones raise
    alerts); its findings in one line."""
    with translation.override("en"):
        _run, findings = integrity_run(by="schedule")
    line = "; ".join(f"{finding.check}: {finding.count}" for finding in findings)
    if any(finding.count for finding in findings):
        logger.warning("Integrity check: %s", line)
    return line


def chain_verify_job(site_ids: list[int] | None, full: bool, _asked_at: str) -> str:
    """Verify the sites' new events, or with `full` every event and every lot; each run
    records its checks, so running it twice records a second, equal check."""
    sites = Site.objects.order_by("pk")
    chosen = list(sites if site_ids is None else sites.filter(pk__in=site_ids))
    for site in chosen:
        if full:
            chain_verify_full(site=site)
        else:
            chain_verify_new_events(site=site)
    return f"{len(chosen)} sites"
