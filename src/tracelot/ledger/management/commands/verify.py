"""`tracelot verify`: prove that no ledger event was altered, forged, inserted or removed, and
that every lot stands as its events make it."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from rich.progress import Progress

from tracelot.audit.models import AccessRecord, MasterDataChange
from tracelot.audit.trail import trail_verify
from tracelot.core.chainkeys import keyring
from tracelot.core.commands import TracelotCommand
from tracelot.ledger.checkpoints import (
    Checkpoint,
    checkpoint_directories,
    checkpoints_compare,
    checkpoints_read,
)
from tracelot.ledger.models import ChainHead, Event
from tracelot.ledger.projection import projection_verify
from tracelot.ledger.selectors import ChainReport, ledger_verify
from tracelot.ledger.services import chain_check_record
from tracelot.plants.models import Site


class Command(TracelotCommand):
    help = (
        "Verify each site's sealed hash chain, compare it with the checkpoints kept outside "
        "the database, and recompute every lot from its events."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site", help="Only this site code.")
        parser.add_argument(
            "--checkpoints",
            nargs="+",
            metavar="PATH",
            help="Checkpoint files or directories (default: the directories checkpoints "
            "are written to, TRACELOT_CHECKPOINT_TO).",
        )
        parser.add_argument(
            "--no-lots", action="store_true", help="Do not recompute the lots from the events."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sites = Site.objects.order_by("code")
        if options["site"]:
            sites = sites.filter(code=options["site"])
            if not sites.exists():
                raise CommandError(gettext("Unknown site %(code)s.") % {"code": options["site"]})
        given = options["checkpoints"]
        missing = [p for p in given or [] if not Path(p).exists()]
        if missing:
            raise CommandError(
                gettext("No such file or directory: %(path)s") % {"path": missing[0]}
            )
        paths = given or [p for p in checkpoint_directories() if p.exists()]
        checkpoints, unreadable = checkpoints_read(paths)
        for path in unreadable:
            self._fail(gettext("%(path)s is not a Tracelot checkpoint.") % {"path": path})
        quiet = options["verbosity"] < 1
        failed = bool(unreadable)
        for site in sites:
            failed |= not self._chain(site, quiet)
            failed |= not self._checkpoints(site, checkpoints)
            if not options["no_lots"]:
                failed |= not self._lots(site, quiet)
        if not options["site"]:
            for model in (MasterDataChange, AccessRecord):
                failed |= not self._trail(model)
        if failed:
            raise SystemExit(1)

    def _ok(self, message: str) -> None:
        self.stdout.write(message, style_func=self.style.SUCCESS)

    def _fail(self, message: str) -> None:
        self.stderr.write(message, style_func=self.style.ERROR)

    def _chain(self, site: Site, quiet: bool) -> bool:
        report = self._walk(site, quiet=quiet)
        chain_check_record(site=site, report=report)
        if report.ok and report.adopted:
            self._ok(
                gettext(
                    "Site %(site)s: %(count)s events, the hash chain verifies (events 1 to "
                    "%(adopted)s as adopted from before the chain key, every later link sealed)."
                )
                % {"site": report.site, "count": report.events, "adopted": report.adopted}
            )
            return True
        if report.ok:
            self._ok(
                gettext(
                    "Site %(site)s: %(count)s events, the hash chain verifies (every link sealed)."
                )
                % {"site": report.site, "count": report.events}
            )
            return True
        if report.broken_at is not None:
            self._fail(
                gettext(
                    "Site %(site)s: the hash chain breaks at event %(position)s: it was "
                    "altered, inserted or forged, or sealed with a key this plant does not have."
                )
                % {"site": report.site, "position": report.broken_at}
            )
            self._key_hint(site, report.broken_at)
        else:
            self._fail(
                gettext(
                    "Site %(site)s: the chain head does not match the last event; "
                    "events were removed or added."
                )
                % {"site": report.site}
            )
        return False

    def _key_hint(self, site: Site, position: int) -> None:
        """A chain sealed with a key not in the keyring is most often a missing key file (a
        restore on another machine), not tampering: say which key is wanted."""
        wanted = (
            Event.objects.filter(site=site, chain_position=position)
            .values_list("seal_key", flat=True)
            .first()
        )
        ring = keyring()
        if wanted == "":
            self._fail(
                gettext(
                    "Event %(position)s was written before the chain key: check and adopt "
                    "such events once with `tracelot keys --adopt`."
                )
                % {"position": position}
            )
        elif wanted and ring.get(wanted) is None:
            self._fail(
                gettext(
                    "Event %(position)s is sealed with chain key %(key)s, which is not among the "
                    "keys of %(source)s: give the plant's key file (TRACELOT_CHAIN_KEY_FILE)."
                )
                % {"position": position, "key": wanted, "source": ring.source}
            )

    def _walk(self, site: Site, *, quiet: bool) -> ChainReport:
        total = ChainHead.objects.filter(site=site).values_list("position", flat=True).first()
        with Progress(transient=True, disable=quiet) as progress:
            task = progress.add_task(
                gettext("Verifying site %(site)s") % {"site": site.code}, total=total
            )
            return ledger_verify(
                site=site, progress=lambda done: progress.update(task, completed=done)
            )

    def _checkpoints(self, site: Site, checkpoints: list[Checkpoint]) -> bool:
        mine = [c for c in checkpoints if c.site == site.code]
        if not mine:
            return True
        findings = checkpoints_compare(site, mine)
        for finding in findings:
            self._fail(finding.message)
        changed = [f.checkpoint.position for f in findings if f.problem != "unsealed"]
        if changed:
            # A ledger rewritten with the chain key still verifies link by link; the last
            # checkpoint it still matches bounds where the rewriting starts.
            bad = {id(f.checkpoint) for f in findings}
            held = [c.position for c in mine if id(c) not in bad and c.position < min(changed)]
            self._fail(
                gettext(
                    "Site %(site)s: the ledger matches its checkpoints up to event %(good)s; "
                    "what differs comes after it."
                )
                % {"site": site.code, "good": max(held, default=0)}
            )
        if findings:
            return False
        last = max(mine, key=lambda c: c.position)
        self._ok(
            gettext(
                "Site %(site)s: the ledger holds every event of its %(count)s checkpoints "
                "(the last at event %(position)s, %(when)s)."
            )
            % {
                "site": site.code,
                "count": len(mine),
                "position": last.position,
                "when": last.at[:19].replace("T", " "),
            }
        )
        return True

    def _trail(self, model: type[MasterDataChange] | type[AccessRecord]) -> bool:
        report = trail_verify(model)
        words = {"trail": report.trail, "count": report.records, "unsealed": report.unsealed}
        if report.unsealed and report.unsealed_vouched:
            self._ok(
                gettext(
                    "%(trail)s: %(unsealed)s records written before the trail was chained, "
                    "as they were when adopted on %(when)s."
                )
                % {**words, "when": f"{report.adopted_at:%Y-%m-%d %H:%M}"}
            )
        elif report.unsealed:
            self._fail(
                gettext(
                    "%(trail)s: %(unsealed)s records were written before the trail was "
                    "chained; they are not vouched for (`tracelot keys --adopt`), or changed "
                    "since they were adopted."
                )
                % words
            )
        if report.ok:
            self._ok(gettext("%(trail)s: %(count)s records, the hash chain verifies.") % words)
            return report.unsealed_vouched
        if report.broken_at is not None:
            self._fail(
                gettext("%(trail)s: the hash chain breaks at record %(position)s: it was altered.")
                % {**words, "position": report.broken_at}
            )
        else:
            self._fail(
                gettext(
                    "%(trail)s: the chain head does not match the last record; records "
                    "were removed or added."
                )
                % words
            )
        return False

    def _lots(self, site: Site, quiet: bool) -> bool:
        with Progress(transient=True, disable=quiet) as progress:
            task = progress.add_task(
                gettext("Recomputing the lots of site %(site)s") % {"site": site.code}
            )
            report = projection_verify(
                site=site, progress=lambda done: progress.update(task, completed=done)
            )
        if report.ok:
            self._ok(
                gettext("Site %(site)s: all %(count)s lots stand as their events make them.")
                % {"site": site.code, "count": report.lots}
            )
            return True
        self._fail(
            gettext(
                "Site %(site)s: %(count)s lots differ from what their events make them; "
                "the lots table was changed outside the ledger:"
            )
            % {"site": site.code, "count": report.differing}
        )
        for d in report.differences:
            self._fail(
                gettext("  %(lot)s: %(field)s is %(stored)s, its events make it %(ledger)s")
                % {"lot": d.code, "field": d.field, "stored": d.stored, "ledger": d.from_ledger}
            )
        return False
