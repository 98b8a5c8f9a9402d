"""Hash chains, as the ledger and the audit trails keep them: each link seals (HMAC-SHA256,
core.chainkeys) its values and the hash before it, as canonical JSON; a walk from a verified
link finds the first one that does not hold."""

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, TypeVar

from tracelot.core.chainkeys import keyring
from tracelot.core.numbers import plain

GENESIS = "0" * 64
T = TypeVar("T")


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 5 and 5.0000 are the same quantity; the database may hand back either.
        return plain(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def link_payload(values: Sequence[Any], previous_hash: str) -> bytes:
    """What is sealed: the previous hash and the link's values, as canonical JSON."""
    content = [_canonical(value) for value in values]
    return json.dumps(
        [previous_hash, content], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


class Sealer(Protocol):
    def seal(self, payload: bytes) -> str: ...


class Link(NamedTuple):
    """One link as stored: where it stands, what it claims to follow, and its seal."""

    position: int
    previous_hash: str
    seal_key: str
    hash: str
    values: Sequence[Any]


def first_break(
    rows: Iterable[T],
    link: Callable[[T], Link],
    *,
    after_position: int = 0,
    after_hash: str = GENESIS,
    keys: Mapping[str, Sealer] | None = None,
) -> T | None:
    """Walk rows in chain order and return the first whose link does not hold: out of place,
    not following the hash before it, or not sealed by a key of `keys` (the keyring's).

    `after_position`/`after_hash` continue from a link already verified (0/GENESIS: all).
    """
    sealers: Any = keyring() if keys is None else keys
    previous, expected = after_hash, after_position + 1
    for row in rows:
        stored = link(row)
        key = sealers.get(stored.seal_key)
        if (
            key is None
            or stored.position != expected
            or stored.previous_hash != previous
            or key.seal(link_payload(stored.values, previous)) != stored.hash
        ):
            return row
        previous, expected = stored.hash, expected + 1
    return None
