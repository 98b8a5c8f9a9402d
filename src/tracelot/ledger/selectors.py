"""Reads of the ledger: the hash-chain verification."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tracelot.ledger.chain import GENESIS, HASHED_FIELDS, chain_first_break
from tracelot.ledger.legacy import legacy_adoption, legacy_first_break
from tracelot.ledger.models import ChainCheck, ChainHead, Event, EventKind
from tracelot.plants.models import Site


@dataclass
class ChainReport:
    site: str
    events: int
    broken_at: int | None  # chain position of the first event that does not verify
    head_matches: bool
    first_position: int = 1
    last_position: int = 0
    last_hash: str = ""
    adopted: int = 0  # events 1 to this one were written before sealing, and adopted

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.head_matches


def _rows(
    site: Site,
    counter: list[int],
    progress: Callable[[int], None] | None,
    after: int,
    until: int | None = None,
) -> Iterator[dict[str, Any]]:
    events = Event.objects.filter(site=site, chain_position__gt=after)
    if until is not None:
        events = events.filter(chain_position__lte=until)
    rows = events.order_by("chain_position").values(
        *HASHED_FIELDS, "previous_hash", "hash", "seal_key"
    )
    for row in rows.iterator(chunk_size=5000):
        counter[0] += 1
        if progress is not None and counter[0] % 10_000 == 0:
            progress(counter[0])
        yield row


def ledger_verify(
    *,
    site: Site,
    progress: Callable[[int], None] | None = None,
    after: ChainCheck | None = None,
) -> ChainReport:
    """Recompute `site`'s hash chain and compare it with the stored hashes.

    With `after` (an earlier check that held), only the events since it are walked, from its
    last link: fast, but it trusts what that check saw. Without it, the whole chain.
    """
    counter = [0]
    start, start_hash = (
        (after.last_position, after.last_hash) if after is not None else (0, GENESIS)
    )
    broken = None
    adoption = legacy_adoption(site) if after is None else None
    if adoption is not None:
        # Events of an older install, linked before the chain key and adopted since.
        broken = legacy_first_break(_rows(site, counter, progress, 0, adoption.count), adoption)
        start, start_hash = adoption.count, adoption.digest
    if broken is None:
        broken = chain_first_break(
            _rows(site, counter, progress, start), after_position=start, after_hash=start_hash
        )
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
        first_position=after.last_position + 1 if after is not None else 1,
        last_position=last["chain_position"] if last else 0,
        last_hash=last["hash"] if last else GENESIS,
        adopted=adoption.count if adoption is not None else 0,
    )


def event_for_key(*, site_id: int, key: str) -> Event | None:
    """The event recorded under `key` at a site, if any (the unique (site, key) index)."""
    return Event.objects.filter(site_id=site_id, key=key).first()


def chain_check_latest(*, site: Site) -> ChainCheck | None:
    """The latest recorded verification of `site`'s chain."""
    return ChainCheck.objects.filter(site=site).order_by("-checked_at", "-pk").first()


def chain_check_latest_full(*, site: Site) -> ChainCheck | None:
    """The latest verification of `site` that walked the chain from its first event."""
    return (
        ChainCheck.objects.filter(site=site, first_position__lte=1)
        .order_by("-checked_at", "-pk")
        .first()
    )


def chain_check_latest_good(*, site: Site) -> ChainCheck | None:
    return (
        ChainCheck.objects.filter(site=site, broken_at__isnull=True, head_matches=True)
        .order_by("-last_position", "-pk")
        .first()
    )


def shipped_by_item(*, sales_order_id: int) -> dict[int, Decimal]:
    """item id → quantity shipped on the sales order, net of reversed shipments."""
    shipped: dict[int, Decimal] = defaultdict(Decimal)
    # A reversal keeps its event's sales order (services.event_reverse): one indexed lookup.
    rows = Event.objects.filter(
        sales_order_id=sales_order_id, kind__in=[EventKind.SHIP, EventKind.REVERSAL]
    ).values_list("kind", "reverses__kind", "lot__item_id", "quantity")
    for kind, reversed_kind, item_id, quantity in rows:
        if kind == EventKind.SHIP:
            shipped[item_id] += quantity
        elif reversed_kind == EventKind.SHIP:
            shipped[item_id] -= quantity
    return dict(shipped)


def returnable_quantity(*, lot_id: int, sales_order_id: int) -> Decimal:
    """How much of the lot can still come back on the sales order: shipped on it, net of
    reversed shipments, less what came back already (net of reversed returns)."""
    net = Decimal(0)
    rows = Event.objects.filter(
        lot_id=lot_id,
        sales_order_id=sales_order_id,
        kind__in=[EventKind.SHIP, EventKind.RETURN, EventKind.REVERSAL],
    ).values_list("kind", "reverses__kind", "quantity")
    sign = {EventKind.SHIP: 1, EventKind.RETURN: -1}
    for kind, reversed_kind, quantity in rows:
        if kind == EventKind.REVERSAL:
            net -= sign.get(reversed_kind, 0) * quantity
        else:
            net += sign[kind] * quantity
    return net


def inspection_failed(*, lot_id: int) -> bool:
    """True when the lot's latest inspection that was not reversed failed."""
    latest = (
        Event.objects.filter(lot_id=lot_id, kind=EventKind.INSPECT, reversed_by__isnull=True)
        .order_by("-chain_position")
        .values_list("data", flat=True)
        .first()
    )
    return latest is not None and latest.get("result") == "fail"


def status_reason(*, lot_id: int, kind: str) -> str:
    """Why the lot is on hold or recalled: the reason of its latest `kind` event that was not
    reversed (an incident's hold or recall names the incident)."""
    reason = (
        Event.objects.filter(lot_id=lot_id, kind=kind, reversed_by__isnull=True)
        .order_by("-chain_position")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""


def last_shipment(*, lot_id: int) -> Event | None:
    """The latest shipment of the lot that was not reversed, with its sales order."""
    return (
        Event.objects.filter(lot_id=lot_id, kind=EventKind.SHIP, reversed_by__isnull=True)
        .select_related("sales_order")
        .order_by("-chain_position")
        .first()
    )
