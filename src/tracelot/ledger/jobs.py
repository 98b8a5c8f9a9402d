"""The ledger's scheduled jobs, run by `tracelot worker` (core.jobs): checkpoints of each
site's chain head, and the daily integrity check. Both are safe to run twice."""

import logging

from django.utils import translation

from tracelot.ledger.checkpoints import checkpoints_write
from tracelot.ledger.integrity import CHECKS
from tracelot.ledger.models import ChainHead

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
    """The daily integrity check of the lot data; its findings in one line."""
    with translation.override("en"):
        findings = [check() for check in CHECKS]
    line = "; ".join(f"{finding.check}: {finding.count}" for finding in findings)
    if any(finding.count for finding in findings):
        logger.warning("Integrity check: %s", line)
    return line
