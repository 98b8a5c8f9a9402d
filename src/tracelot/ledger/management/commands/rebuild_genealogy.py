"""`tracelot rebuild_genealogy`: recompute the lot-to-lot edges from the ledger's events."""

from typing import Any

from django.utils.translation import gettext
from rich.progress import Progress

from tracelot.core.commands import TracelotCommand
from tracelot.ledger.rebuild import genealogy_rebuild


class Command(TracelotCommand):
    help = (
        "Recompute the genealogy edges from the ledger and report the differences; "
        "--apply writes them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--apply", action="store_true", help="Write the rebuilt edges.")

    def handle(self, *args: Any, **options: Any) -> None:
        with Progress(transient=True, disable=options["verbosity"] < 1) as progress:
            task = progress.add_task(gettext("Rebuilding genealogy"), total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = genealogy_rebuild(apply=options["apply"], progress=advance)
        values = {
            "steps": report.steps,
            "before": report.edges_before,
            "after": report.edges_after,
            "differences": report.differences,
        }
        if report.differences == 0:
            message = (
                gettext("%(steps)s steps checked: the %(before)s edges match the ledger.") % values
            )
        elif options["apply"]:
            message = (
                gettext(
                    "%(steps)s steps rebuilt: %(differences)s edges differed; "
                    "%(before)s edges before, %(after)s now."
                )
                % values
            )
        else:
            message = (
                gettext(
                    "%(steps)s steps checked: %(differences)s edges differ from the ledger; "
                    "run with --apply to rebuild them."
                )
                % values
            )
        self.stdout.write(message)
