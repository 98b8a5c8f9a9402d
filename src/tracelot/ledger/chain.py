"""The hash chain: each event's hash covers its content and the previous event's hash,
sealed (HMAC-SHA256) with a chain key kept outside the database (core.chainkeys)."""

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tracelot.core.chainkeys import ChainKey, keyring
from tracelot.core.numbers import plain

GENESIS = "0" * 64

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


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 5 and 5.0000 are the same quantity; the database may hand back either.
        return plain(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def event_hash(fields: Mapping[str, Any], previous_hash: str, key: ChainKey) -> str:
    """Seal one event's content, chained to the hash before it."""
    return event_hash_of_values([fields[name] for name in HASHED_FIELDS], previous_hash, key)


def event_payload(values: Sequence[Any], previous_hash: str) -> bytes:
    """What is sealed: the previous hash and the values of HASHED_FIELDS, as canonical JSON."""
    content = [_canonical(value) for value in values]
    return json.dumps(
        [previous_hash, content], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def event_hash_of_values(values: Sequence[Any], previous_hash: str, key: ChainKey) -> str:
    """The same seal from the values of HASHED_FIELDS, in that order."""
    return key.seal(event_payload(values, previous_hash))


def chain_first_break(
    rows: Iterable[Mapping[str, Any]], *, after_position: int = 0, after_hash: str = GENESIS
) -> Mapping[str, Any] | None:
    """Walk rows in chain order and return the first one whose link does not hold: out of
    place, not following the hash before it, or not sealed by a key of the keyring.

    `after_position`/`after_hash` continue from a link already verified (0/GENESIS: all).
    """
    keys = keyring()
    previous = after_hash
    expected_position = after_position + 1
    for row in rows:
        key = keys.get(row["seal_key"])
        if (
            key is None
            or row["chain_position"] != expected_position
            or row["previous_hash"] != previous
            or event_hash(row, previous, key) != row["hash"]
        ):
            return row
        previous = row["hash"]
        expected_position += 1
    return None
