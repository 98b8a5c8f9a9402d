"""Checkpoints: the chain's head written outside the database, to check the ledger against.

A sealed chain shows an event rewritten by someone without the chain key, but not events cut
off its end (the head row moved back) nor a ledger emptied. So every so often, and on demand,
each site's head (position, hash, time) is sealed with the chain key and sent where the plant
chooses (`TRACELOT_CHECKPOINT_TO`: directories, `mailto:` addresses, `https://` webhooks).
`tracelot verify --checkpoints PATH` then compares the ledger with the checkpoints kept.
"""

import json
import logging
import os
import urllib.request
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.chainkeys import keyring
from tracelot.ledger.models import Event
from tracelot.plants.models import Site

logger = logging.getLogger(__name__)

FORMAT = "tracelot-checkpoint/1"
WEBHOOK_TIMEOUT = 10  # seconds


@dataclass(frozen=True)
class Checkpoint:
    site: str
    position: int
    head_hash: str
    at: str  # ISO 8601, UTC
    key: str
    seal: str = ""
    source: str = ""  # the file it was read from, not part of the checkpoint

    def content(self) -> bytes:
        fields = {"format": FORMAT, "site": self.site, "position": self.position,
                  "head_hash": self.head_hash, "at": self.at, "key": self.key}  # fmt: skip
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def sealed(self) -> bool:
        key = keyring().get(self.key)
        return key is not None and key.seal(self.content()) == self.seal

    def as_json(self) -> str:
        fields = {k: v for k, v in asdict(self).items() if k != "source"}
        return json.dumps({"format": FORMAT, **fields}, indent=2) + "\n"

    @property
    def file_name(self) -> str:
        stamp = datetime.fromisoformat(self.at).strftime("%Y%m%dT%H%M%S%fZ")
        return f"checkpoint-{self.site}-{self.position:012d}-{stamp}.json"


def checkpoint_take(site: Site) -> Checkpoint:
    """Seal `site`'s last event as it stands now (position 0 for an empty ledger)."""
    last = (
        Event.objects.filter(site=site)
        .order_by("-chain_position")
        .values_list("chain_position", "hash")
        .first()
    )
    position, head_hash = last if last is not None else (0, "")
    key = keyring().current
    unsealed = Checkpoint(
        site=site.code, position=position, head_hash=head_hash,
        at=clock.now().astimezone().isoformat(timespec="microseconds"), key=key.id,
    )  # fmt: skip
    return Checkpoint(**{**asdict(unsealed), "seal": key.seal(unsealed.content())})


def targets() -> list[str]:
    return [t.strip() for t in settings.TRACELOT_CHECKPOINT_TO.split(",") if t.strip()]


def checkpoint_directories() -> list[Path]:
    """The directories among the targets: where `verify` finds checkpoints by default."""
    return [Path(t) for t in targets() if not t.startswith(("mailto:", "https://", "http://"))]


def checkpoints_write(
    *, to: list[str] | None = None, sites: Iterable[Site] | None = None
) -> tuple[list[Checkpoint], list[str]]:
    """Take a checkpoint of each site and send it to every target (default: the configured
    ones); returns the checkpoints and what could not be delivered (a target that fails
    does not stop the others)."""
    chosen = list(sites if sites is not None else Site.objects.order_by("code"))
    taken = [checkpoint_take(site) for site in chosen]
    failures = []
    for target in targets() if to is None else to:
        try:
            _deliver(target, taken)
        except Exception as error:  # one bad target must not stop the rest
            logger.warning("Checkpoint to %s failed: %s", target, error)
            failures.append(f"{target}: {error}")
    return taken, failures


def _deliver(target: str, taken: list[Checkpoint]) -> None:
    if target.startswith("mailto:"):
        message = EmailMessage(
            subject=gettext("Tracelot ledger checkpoint"),
            body=gettext(
                "Keep this message: the attached checkpoints let `tracelot verify` prove "
                "that no event was removed from the ledger or rewritten after now."
            ),
            to=[target.removeprefix("mailto:")],
        )
        for checkpoint in taken:
            message.attach(checkpoint.file_name, checkpoint.as_json(), "application/json")
        message.send()
    elif target.startswith(("https://", "http://")):
        body = json.dumps([json.loads(c.as_json()) for c in taken]).encode()
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            target, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as answer:  # noqa: S310
            answer.read()
    else:
        directory = Path(target)
        directory.mkdir(parents=True, exist_ok=True)
        for checkpoint in taken:
            final = directory / checkpoint.file_name
            partial = final.with_suffix(".part")
            partial.write_text(checkpoint.as_json())
            os.replace(partial, final)  # a reader never sees half a checkpoint


def checkpoints_read(paths: Iterable[str | Path]) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in `paths` (files, or directories of *.json), and the files that
    are not checkpoints at all."""
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("checkpoint-*.json")) if path.is_dir() else [path])
    found, unreadable = [], []
    for file in files:
        try:
            entries = json.loads(file.read_text())
            for entry in entries if isinstance(entries, list) else [entries]:
                if entry.pop("format", None) != FORMAT:
                    raise ValueError(file)
                found.append(Checkpoint(**entry, source=str(file)))
        except (OSError, ValueError, TypeError):
            unreadable.append(str(file))
    return found, unreadable


@dataclass(frozen=True)
class Finding:
    checkpoint: Checkpoint
    problem: str  # "unsealed", "removed", "differs"
    message: str


def checkpoints_compare(site: Site, checkpoints: Iterable[Checkpoint]) -> list[Finding]:
    """Compare `site`'s ledger with its checkpoints; each one that does not hold, oldest first."""
    mine = sorted((c for c in checkpoints if c.site == site.code), key=lambda c: c.position)
    last = Event.objects.filter(site=site).order_by("-chain_position").values_list(
        "chain_position", flat=True
    ).first() or 0  # fmt: skip
    wanted = [c.position for c in mine if c.position]
    hashes = dict(
        Event.objects.filter(site=site, chain_position__in=wanted).values_list(
            "chain_position", "hash"
        )
    )
    findings = []
    for checkpoint in mine:
        when = checkpoint.at[:19].replace("T", " ")
        words: dict[str, Any] = {"site": site.code, "when": when, "position": checkpoint.position}
        if not checkpoint.sealed():
            findings.append(Finding(checkpoint, "unsealed", gettext(
                "Site %(site)s: the checkpoint of %(when)s (%(file)s) is not sealed by a key of "
                "this plant: it was forged or damaged."
            ) % {**words, "file": checkpoint.source or "?"}))  # fmt: skip
        elif checkpoint.position > last:
            findings.append(Finding(checkpoint, "removed", gettext(
                "Site %(site)s: events were removed. The checkpoint of %(when)s saw %(position)s "
                "events; the ledger now ends at event %(last)s."
            ) % {**words, "last": last}))  # fmt: skip
        elif checkpoint.position and hashes.get(checkpoint.position) != checkpoint.head_hash:
            findings.append(Finding(checkpoint, "differs", gettext(
                "Site %(site)s: event %(position)s is not the one the checkpoint of %(when)s "
                "saw; the ledger was rewritten up to it."
            ) % words))  # fmt: skip
    return findings
