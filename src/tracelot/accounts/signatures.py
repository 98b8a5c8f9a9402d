"""Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200; EU GMP Annex 11 §14).

Signing is two steps so that a wrong password is counted even when the decision it was
for is refused and rolled back: `signer_verify` checks the password the signer re-entered
(outside the decision's transaction, counting failures and locking the signer out after
too many), and hands back a `Signer` that the decision's service turns into a `Signature`
with `signature_record`, in its own transaction, bound to the hash of what was signed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext, ngettext

from tracelot.accounts.models import (
    Meaning,
    Signature,
    SignatureFailure,
    canonical,
    content_hash,
)
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.plants.models import Operator

# After this many wrong passwords within the window, signing is locked for the window.
LOCKOUT_ATTEMPTS = getattr(settings, "TRACELOT_SIGNATURE_LOCKOUT_ATTEMPTS", 5)
LOCKOUT_MINUTES = getattr(settings, "TRACELOT_SIGNATURE_LOCKOUT_MINUTES", 15)
# A password re-entered is good for the decision it was entered for, not for later ones.
SIGNER_VALID = timedelta(minutes=2)


@dataclass(frozen=True)
class Signer:
    """A user who has just re-entered their password to sign with `meaning`."""

    user: User
    meaning: str
    printed_name: str
    verified_at: datetime = field(default_factory=clock.now)


def printed_name(user: Any) -> str:
    """The signer's name as it is printed under the signature, the same in both languages."""
    operator = Operator.objects.filter(user=user).only("name", "name_zh").first()
    if operator is not None:
        names = [n for n in (operator.name_zh, operator.name) if n]
        return " ".join(dict.fromkeys(names))
    return str(user.get_full_name() or user.get_username())


def _locked_until(user: User, now: datetime) -> datetime | None:
    window = timedelta(minutes=LOCKOUT_MINUTES)
    recent = list(
        SignatureFailure.objects.filter(user=user, at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[:LOCKOUT_ATTEMPTS]
    )
    if len(recent) < LOCKOUT_ATTEMPTS:
        return None
    return recent[0] + window


def signer_verify(*, user: User, password: str, meaning: str, subject: str) -> Signer:
    """The user re-entered `password` to sign `subject` with `meaning`; a wrong password is
    counted (and kept) and refused, and too many lock signing for a while."""
    if meaning not in Meaning.values:
        raise Refused("signature_meaning", gettext("Say what the signature means."))
    now = clock.now()
    locked = _locked_until(user, now)
    if locked is not None:
        minutes = max(1, int((locked - now).total_seconds() // 60) + 1)
        raise Refused(
            "signature_locked",
            ngettext(
                "Too many wrong passwords: signing is locked for %(count)d more minute.",
                "Too many wrong passwords: signing is locked for %(count)d more minutes.",
                minutes,
            )
            % {"count": minutes},
        )
    # The password itself, not authenticate(): the sign-in throttle is for sign-ins, and
    # signing keeps its own count and lockout here.
    if not password or not user.is_active or not user.check_password(password):
        SignatureFailure.objects.create(user=user, at=now, subject=subject[:200])
        left = (
            LOCKOUT_ATTEMPTS
            - SignatureFailure.objects.filter(
                user=user, at__gt=now - timedelta(minutes=LOCKOUT_MINUTES)
            ).count()
        )
        raise Refused(
            "signature_password",
            gettext("The password is not right; nothing was signed.")
            + " "
            + ngettext(
                "%(count)d attempt left before signing is locked.",
                "%(count)d attempts left before signing is locked.",
                max(left, 0),
            )
            % {"count": max(left, 0)},
            field="password",
        )
    return Signer(user=user, meaning=meaning, printed_name=printed_name(user), verified_at=now)


def signature_record(*, signer: Signer, subject: str, record: dict[str, Any]) -> Signature:
    """Sign `record` (what the decision is, as plain JSON) as `signer`; call it in the
    transaction that carries the decision out."""
    now = clock.now()
    if now - signer.verified_at > SIGNER_VALID:
        raise Refused(
            "signature_stale", gettext("Enter your password again: the signature has expired.")
        )
    content = {
        "record": record,
        "subject": subject,
        "signer": {"user": signer.user.get_username(), "name": signer.printed_name},
        "meaning": signer.meaning,
        "signed_at": now.isoformat(),
    }
    return Signature.objects.create(
        user=signer.user,
        printed_name=signer.printed_name,
        meaning=signer.meaning,
        signed_at=now,
        subject=subject[:200],
        content=content,
        content_hash=content_hash(content),
    )


def signature_verifies(signature: Signature, record: dict[str, Any] | None = None) -> bool:
    """True when the signature's stored content still hashes to its hash and, given the
    record as it stands now, that record is the one signed."""
    if not signature.intact:
        return False
    return record is None or canonical(signature.content.get("record")) == canonical(record)


@dataclass(frozen=True)
class SignatureShown:
    signature: Signature
    verifies: bool


def signatures_for_events(
    events: Iterable[Any], *, lot_code: str
) -> dict[int, list[SignatureShown]]:
    """The signatures each of a lot's events was carried out under (their ids are in the
    event's data), each with whether it verifies: its content still hashes to its hash and
    what was signed names this lot."""
    wanted = {event.pk: event.data.get("signatures") or [] for event in events if event.data}
    ids = {pk for pks in wanted.values() for pk in pks if isinstance(pk, int)}
    if not ids:
        return {}
    found = Signature.objects.in_bulk(ids)
    shown: dict[int, SignatureShown] = {
        pk: SignatureShown(s, s.intact and lot_code in _strings(s.content.get("record")))
        for pk, s in found.items()
    }
    return {
        event_pk: [shown[pk] for pk in pks if pk in shown]
        for event_pk, pks in wanted.items()
        if any(pk in shown for pk in pks)
    }


def _strings(value: Any) -> set[str]:
    """Every string in a JSON value, keys and values, at any depth."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set(value) | {s for v in value.values() for s in _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return set()
