"""The audit trails' hash chains: master-data changes and access records are sealed link by
link with the chain key (core.chainkeys), as the ledger's events are, and verified by the
same `tracelot verify`."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import models, transaction

from tracelot.audit.adoption import adoption_seal, adoption_vouched
from tracelot.audit.models import Adoption, TrailHead
from tracelot.core.chainkeys import keyring
from tracelot.core.links import GENESIS, Link, first_break, link_payload

R = TypeVar("R", bound=models.Model)


def _link(record: Any) -> Link:
    values = [getattr(record, name) for name in record.SEALED_FIELDS]
    return Link(record.position, record.previous_hash, record.seal_key, record.hash, values)


def _trail(model: type[models.Model]) -> str:
    return model._meta.label_lower


def trail_append(record: R) -> R:
    """Save a new trail record as the next link of its trail's chain."""
    key = keyring().current
    with transaction.atomic():
        TrailHead.objects.get_or_create(trail=_trail(type(record)), defaults={"hash": GENESIS})
        head = TrailHead.objects.select_for_update().get(trail=_trail(type(record)))
        head.position += 1
        record.position = head.position  # type: ignore[attr-defined]
        record.previous_hash = head.hash  # type: ignore[attr-defined]
        record.seal_key = key.id  # type: ignore[attr-defined]
        record.hash = key.seal(link_payload(_link(record).values, head.hash))  # type: ignore[attr-defined]
        record.save(force_insert=True)
        head.hash = record.hash  # type: ignore[attr-defined]
        head.save(update_fields=["position", "hash"])
    return record


@dataclass
class TrailReport:
    trail: str
    records: int
    broken_at: int | None  # position of the first record that does not verify
    head_matches: bool
    unsealed: int  # records written before the trail was chained
    adopted_at: datetime | None = None  # when those were vouched for (audit.adoption)

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.head_matches

    @property
    def unsealed_vouched(self) -> bool:
        return not self.unsealed or self.adopted_at is not None


def _unsealed_digest(model: type[models.Model]) -> tuple[int, str]:
    """How many records were written before the trail was chained, and their digest."""
    digest, count = hashlib.sha256(), 0
    records: Iterable[Any] = (
        model.objects.filter(position__isnull=True).order_by("pk").iterator(chunk_size=2000)  # type: ignore[attr-defined]
    )
    for record in records:
        count += 1
        digest.update(link_payload([record.pk, *_link(record).values], digest.hexdigest()))
    return count, digest.hexdigest()


def trail_adopt(model: type[models.Model]) -> int:
    """Vouch for the trail's records written before it was chained (audit.adoption); how many
    were adopted (0: none, or adopted before)."""
    count, digest = _unsealed_digest(model)
    if not count or Adoption.objects.filter(subject=_trail(model)).exists():
        return 0
    adoption_seal(subject=_trail(model), count=count, digest=digest)
    return count


def trail_verify(model: type[models.Model]) -> TrailReport:
    """Walk a trail's chain from its first link; name the first record that does not hold."""
    records: Iterable[Any] = (
        model.objects.filter(position__isnull=False).order_by("position").iterator(chunk_size=2000)  # type: ignore[attr-defined]
    )
    count = 0

    def counted(record: Any) -> Link:
        nonlocal count
        count += 1
        return _link(record)

    broken = first_break(records, counted)
    head = TrailHead.objects.filter(trail=_trail(model)).first()
    last = model.objects.filter(position__isnull=False).order_by("-position").first()  # type: ignore[attr-defined]
    if head is None:
        head_matches = last is None
    else:
        head_matches = last is not None and (head.position, head.hash) == (
            last.position,
            last.hash,
        )
    unsealed, digest = _unsealed_digest(model)
    adoption = adoption_vouched(_trail(model)) if unsealed else None
    vouched = adoption is not None and (adoption.count, adoption.digest) == (unsealed, digest)
    return TrailReport(
        trail=str(model._meta.verbose_name_plural),
        records=count,
        broken_at=broken.position if broken is not None else None,
        head_matches=head_matches,
        unsealed=unsealed,
        adopted_at=adoption.adopted_at if adoption is not None and vouched else None,
    )
