"""`tracelot check`: Django's system checks, then the daily integrity check of the lot data."""

from typing import Any

from django.core.management.commands.check import Command as SystemCheckCommand
from django.db.utils import DatabaseError
from django.utils import translation
from django.utils.translation import gettext

from tracelot.core.commands import cli_language, command_console
from tracelot.ledger.integrity import Finding, integrity_run


class Command(SystemCheckCommand):
    help = (
        "Run Django's system checks, then look for duplicate lot codes, lots with no origin "
        "event, produced lots with no inputs, negative on hand and work orders out of balance."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--system-only", action="store_true", help="Only Django's system checks."
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        if options["system_only"] or app_labels or options.get("deploy"):
            return
        with translation.override(cli_language()):
            try:
                findings = self._run(options["verbosity"])
            except DatabaseError:
                self.stderr.write(
                    gettext("The database is not ready; run: tracelot migrate"),
                    style_func=self.style.ERROR,
                )
                raise SystemExit(1) from None
            self._report(findings)
        if any(f.count for f in findings):
            raise SystemExit(1)

    def _run(self, verbosity: int) -> list[Finding]:
        with command_console(self).status(gettext("Checking lots"), spinner="dots"):
            _run, findings = integrity_run(by="command")
        return findings

    def _report(self, findings: list[Finding]) -> None:
        console = command_console(self)
        for finding in findings:
            if finding.count == 0:
                console.print(f"[green]✓[/green] {finding.title}: 0")
            else:
                examples = ", ".join(finding.examples)
                console.print(f"[red]✗[/red] {finding.title}: {finding.count} ({examples})")
