"""Events written before the chain key (an older install): their plain SHA-256 links, and
their adoption (audit.adoption) so that `tracelot verify` vouches for them from then on."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext

from tracelot.audit.adoption import PLAIN_KEYS, adoption_seal, adoption_vouched
from tracelot.audit.models import Adoption
from tracelot.core.errors import Refused
from tracelot.core.links import Link, first_break
from tracelot.ledger.chain import HASHED_FIELDS
from tracelot.ledger.models import Event
from tracelot.plants.models import Site

# What a link covered before the chain key: the signed-in user came with the key.
LEGACY_FIELDS = tuple(name for name in HASHED_FIELDS if name != "user_id")


def _subject(site: Site) -> str:
    return f"ledger:{site.pk}"


def _legacy_link(row: Mapping[str, Any]) -> Link:
    values = [row[name] for name in LEGACY_FIELDS]
    return Link(row["chain_position"], row["previous_hash"], row["seal_key"], row["hash"], values)


def legacy_adoption(site: Site) -> Adoption | None:
    """The site's adoption of its unsealed events, if its seal holds."""
    return adoption_vouched(_subject(site))


def legacy_first_break(
    rows: Iterable[Mapping[str, Any]], adoption: Adoption
) -> Mapping[str, Any] | None:
    """Walk the adopted events (positions 1 to adoption.count) as they were linked; the first
    that does not hold, or the last when they no longer end where the adoption says."""
    last: Mapping[str, Any] | None = None

    def link(row: Mapping[str, Any]) -> Link:
        nonlocal last
        last = row
        return _legacy_link(row)

    broken = first_break(rows, link, keys=PLAIN_KEYS)
    if broken is not None:
        return broken
    if last is None or (last["chain_position"], last["hash"]) != (
        adoption.count,
        adoption.digest,
    ):
        return last or {"chain_position": 1}
    return None


def ledger_adopt(*, site: Site) -> Adoption | None:
    """Check the site's unsealed events as they were linked and seal their last link; None
    when there is nothing to adopt (or it was adopted before). Refused, adopting nothing,
    when one of them does not hold."""
    legacy = Event.objects.filter(site=site, seal_key="")
    if Adoption.objects.filter(subject=_subject(site)).exists() or not legacy.exists():
        return None
    rows = legacy.order_by("chain_position").values(
        *HASHED_FIELDS, "previous_hash", "hash", "seal_key"
    )
    broken = first_break(rows.iterator(chunk_size=5000), _legacy_link, keys=PLAIN_KEYS)
    if broken is not None:
        raise Refused(
            "legacy_broken",
            gettext(
                "Site %(site)s: event %(position)s does not hold as it was written before "
                "sealing (altered, or out of place); nothing was adopted."
            )
            % {"site": site.code, "position": broken["chain_position"]},
        )
    last = legacy.order_by("-chain_position").values("chain_position", "hash").first()
    assert last is not None  # noqa: S101 - legacy.exists() above
    return adoption_seal(subject=_subject(site), count=last["chain_position"], digest=last["hash"])
