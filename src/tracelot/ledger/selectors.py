"""Reads of the ledger: the hash-chain verification."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tracelot.ledger.chain import HASHED_FIELDS, chain_first_break
from tracelot.ledger.models import ChainHead, Event
from tracelot.plants.models import Site


@dataclass
class ChainReport:
    site: str
    events: int
    broken_at: int | None  # chain position of the first event that does not verify
    head_matches: bool

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.head_matches


def _rows(
    site: Site, counter: list[int], progress: Callable[[int], None] | None
) -> Iterator[dict[str, Any]]:
    rows = (
        Event.objects.filter(site=site)
        .order_by("chain_position")
        .values(*HASHED_FIELDS, "previous_hash", "hash")
    )
    for row in rows.iterator(chunk_size=5000):
        counter[0] += 1
        if progress is not None and counter[0] % 10_000 == 0:
            progress(counter[0])
        yield row


def ledger_verify(*, site: Site, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute `site`'s hash chain from its events and compare with the stored hashes."""
    counter = [0]
    broken = chain_first_break(_rows(site, counter, progress))
    head = ChainHead.objects.filter(site=site).first()
    last = (
        Event.objects.filter(site=site)
        .order_by("-chain_position")
        .values("chain_position", "hash")
        .first()
    )
    if head is None:
        head_matches = last is None
    else:
        head_matches = last is not None and (head.position, head.hash) == (
            last["chain_position"],
            last["hash"],
        )
    return ChainReport(
        site=site.code,
        events=counter[0],
        broken_at=broken["chain_position"] if broken is not None else None,
        head_matches=head_matches,
    )
