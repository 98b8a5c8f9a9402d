"""Adopting what an older install wrote before its chains were sealed.

Events and trail records from before the chain key carry no seal, so `tracelot verify`
cannot vouch for them. `tracelot keys --adopt` checks them as they were written (the ledger's
plain SHA-256 links), then seals their last link or their digest once with the chain key in
an Adoption; from then on, verify checks them against it. Whatever is changed in them after
the adoption is found; what was changed before it cannot be, and the adoption says when.
"""

import hashlib
from typing import Any

from tracelot.audit.models import Adoption
from tracelot.core import clock
from tracelot.core.chainkeys import keyring
from tracelot.core.links import GENESIS, link_payload


class PlainSeal:
    """The links of before the chain key: SHA-256, no secret."""

    id = ""

    def seal(self, payload: bytes) -> str:
        return hashlib.sha256(payload).hexdigest()


PLAIN_KEYS = {"": PlainSeal()}


def _payload(adoption: Adoption) -> bytes:
    values: list[Any] = [adoption.subject, adoption.count, adoption.digest, adoption.adopted_at]
    return link_payload(values, GENESIS)


def adoption_seal(*, subject: str, count: int, digest: str) -> Adoption:
    """Vouch for `count` records of `subject` ending in (or digested as) `digest`."""
    key = keyring().current
    adoption = Adoption(
        subject=subject, count=count, digest=digest, adopted_at=clock.now(), seal_key=key.id
    )
    adoption.seal = key.seal(_payload(adoption))
    adoption.save(force_insert=True)
    return adoption


def adoption_vouched(subject: str) -> Adoption | None:
    """The adoption of `subject`, if there is one and its seal holds."""
    adoption = Adoption.objects.filter(subject=subject).first()
    if adoption is None:
        return None
    key = keyring().get(adoption.seal_key)
    if key is None or key.seal(_payload(adoption)) != adoption.seal:
        return None
    return adoption
