"""The chain keys: secrets kept outside the database that seal the ledger's hash chain.

A plain hash chain proves nothing against someone who can write to the database: they can
rewrite an event and compute every later hash again. Each link is therefore an HMAC-SHA256
under a key the database never holds (the environment, or a key file the plant keeps and
backs up apart from the database). Rotation appends a key: events keep the id of the key
that sealed them, new events take the newest key, and old keys stay to verify old events.

`TRACELOT_CHAIN_KEYS` ("id:hex,id:hex", newest last) wins over the key file
`TRACELOT_CHAIN_KEY_FILE` (default `DATA_DIR/chain-keys`), which is made with one new key
the first time it is needed.
"""

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tracelot.core import clock

FILE_HEADER = (
    "# Tracelot chain keys: the newest (last) seals new events; older ones verify old events.\n"
    "# Keep this file secret (mode 600) and back it up apart from the database: without it\n"
    "# the ledger cannot be verified. Add a key with `tracelot keys --rotate`; never remove one.\n"
)


@dataclass(frozen=True)
class ChainKey:
    id: str
    secret: bytes = b""

    def seal(self, payload: bytes) -> str:
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    keys: tuple[ChainKey, ...]
    source: str  # where the keys came from, for messages

    @property
    def current(self) -> ChainKey:
        return self.keys[-1]

    def get(self, key_id: str) -> ChainKey | None:
        return next((key for key in self.keys if key.id == key_id), None)


def _parse(pairs: list[tuple[str, str]], source: str) -> Keyring:
    keys = []
    for key_id, value in pairs:
        try:
            secret = bytes.fromhex(value)
        except ValueError:
            secret = b""
        if not key_id or len(key_id) > 16 or len(secret) < 16:
            raise ImproperlyConfigured(
                f"{source}: chain key {key_id!r} needs an id of at most 16 characters and "
                "at least 32 hex digits"
            )
        keys.append(ChainKey(key_id, secret))
    if not keys:
        raise ImproperlyConfigured(f"{source} holds no chain key")
    return Keyring(tuple(keys), source)


def _file_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text().splitlines():
        words = line.split()
        if words and not words[0].startswith("#"):
            pairs.append((words[0], words[1] if len(words) > 1 else ""))
    return pairs


def new_key_line() -> str:
    key_id = f"k{clock.now():%Y%m%d}{secrets.token_hex(2)}"
    return f"{key_id} {secrets.token_hex(32)}\n"


def _create(path: Path) -> None:
    """Make the key file whole or not at all: written aside, then linked into place, so a
    process starting at the same moment reads one key file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(FILE_HEADER + new_key_line())
    try:
        os.link(aside, path)
    except FileExistsError:  # another process made it first: use theirs
        pass
    finally:
        aside.unlink()


@cache
def _keyring(value: str, path: str) -> Keyring:
    if value:
        pairs = [tuple(part.strip().partition(":")[::2]) for part in value.split(",")]
        return _parse([(a, b) for a, b in pairs], "TRACELOT_CHAIN_KEYS")
    file = Path(path)
    if not file.exists():
        _create(file)
    return _parse(_file_pairs(file), str(file))


def key_file() -> Path:
    return Path(settings.TRACELOT_CHAIN_KEY_FILE)


def keyring() -> Keyring:
    """The chain keys in use (read once per process)."""
    return _keyring(settings.TRACELOT_CHAIN_KEYS, str(key_file()))


def keyring_rotate() -> ChainKey:
    """Append a new key to the key file; new events are sealed with it from now on."""
    if settings.TRACELOT_CHAIN_KEYS:
        raise ImproperlyConfigured(
            "The chain keys come from TRACELOT_CHAIN_KEYS: add the new key there."
        )
    keyring()  # the file exists, with its first key
    with key_file().open("a") as file:
        file.write(new_key_line())
    _keyring.cache_clear()
    return keyring().current
