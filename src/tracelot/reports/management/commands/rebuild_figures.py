"""`tracelot rebuild_figures`: recount the dashboard's daily figures from the ledger."""

from typing import Any

from django.utils.translation import ngettext

from tracelot.core.commands import TracelotCommand
from tracelot.reports.figures import figures_rebuild


class Command(TracelotCommand):
    help = "Recount the dashboard's daily output and inspection figures from the ledger."

    def handle(self, *args: Any, **options: Any) -> None:
        days = figures_rebuild()
        message = ngettext(
            "Daily figures recounted from the ledger: %(days)s day.",
            "Daily figures recounted from the ledger: %(days)s days.",
            days,
        )
        self.stdout.write(message % {"days": days})
