"""The hash chain: each event's hash covers its content and the previous event's hash,
sealed (HMAC-SHA256) with a chain key kept outside the database (core.chainkeys)."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tracelot.core.chainkeys import ChainKey
from tracelot.core.links import GENESIS, Link, first_break, link_payload

# The columns a hash covers, in a fixed order. Foreign keys are hashed by id: ids never change.
HASHED_FIELDS = (
    "site_id",
    "chain_position",
    "kind",
    "lot_id",
    "quantity",
    "unit",
    "other_lot_id",
    "occurred_at",
    "recorded_at",
    "location_id",
    "line_id",
    "station_id",
    "actor_id",
    "responsible_id",
    "shift_id",
    "team_id",
    "purchase_order_id",
    "work_order_id",
    "step_id",
    "sales_order_id",
    "reason",
    "via",
    "key",
    "reverses_id",
    "user_id",
    "data",  # last: the demo's fast path splices its encoded text in (demo.fastledger)
)


def event_hash(fields: Mapping[str, Any], previous_hash: str, key: ChainKey) -> str:
    """Seal one event's content, chained to the hash before it."""
    return event_hash_of_values([fields[name] for name in HASHED_FIELDS], previous_hash, key)


def event_payload(values: Sequence[Any], previous_hash: str) -> bytes:
    """What is sealed: the previous hash and the values of HASHED_FIELDS, as canonical JSON."""
    return link_payload(values, previous_hash)


def event_hash_of_values(values: Sequence[Any], previous_hash: str, key: ChainKey) -> str:
    """The same seal from the values of HASHED_FIELDS, in that order."""
    return key.seal(event_payload(values, previous_hash))


def _event_link(row: Mapping[str, Any]) -> Link:
    return Link(
        row["chain_position"],
        row["previous_hash"],
        row["seal_key"],
        row["hash"],
        [row[name] for name in HASHED_FIELDS],
    )


def chain_first_break(
    rows: Iterable[Mapping[str, Any]], *, after_position: int = 0, after_hash: str = GENESIS
) -> Mapping[str, Any] | None:
    """The first event row (in chain order) whose link does not hold (core.links)."""
    return first_break(rows, _event_link, after_position=after_position, after_hash=after_hash)
