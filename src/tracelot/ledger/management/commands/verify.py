"""`tracelot verify`: prove that no ledger event was altered, inserted or removed."""

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from rich.progress import Progress

from tracelot.core.commands import TracelotCommand
from tracelot.ledger.models import ChainHead
from tracelot.ledger.selectors import ChainReport, ledger_verify
from tracelot.ledger.services import chain_check_record
from tracelot.plants.models import Site


class Command(TracelotCommand):
    help = "Verify the hash chain of the ledger."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site", help="Only this site code.")

    def handle(self, *args: Any, **options: Any) -> None:
        sites = Site.objects.order_by("code")
        if options["site"]:
            sites = sites.filter(code=options["site"])
            if not sites.exists():
                raise CommandError(gettext("Unknown site %(code)s.") % {"code": options["site"]})
        failed = False
        for site in sites:
            report = self._verify(site, quiet=options["verbosity"] < 1)
            chain_check_record(site=site, report=report)
            if report.ok:
                self.stdout.write(
                    gettext("Site %(site)s: %(count)s events, the hash chain verifies.")
                    % {"site": report.site, "count": report.events},
                    style_func=self.style.SUCCESS,
                )
                continue
            failed = True
            if report.broken_at is not None:
                message = gettext(
                    "Site %(site)s: the hash chain breaks at event %(position)s; "
                    "the ledger was altered."
                ) % {"site": report.site, "position": report.broken_at}
            else:
                message = gettext(
                    "Site %(site)s: the chain head does not match the last event; "
                    "events were removed or added."
                ) % {"site": report.site}
            self.stderr.write(message, style_func=self.style.ERROR)
        if failed:
            raise SystemExit(1)

    def _verify(self, site: Site, *, quiet: bool) -> ChainReport:
        total = ChainHead.objects.filter(site=site).values_list("position", flat=True).first()
        with Progress(transient=True, disable=quiet) as progress:
            task = progress.add_task(
                gettext("Verifying site %(site)s") % {"site": site.code}, total=total
            )
            return ledger_verify(
                site=site, progress=lambda done: progress.update(task, completed=done)
            )
