"""`tracelot causes`: rank the likely causes of failed lots against the lots that passed."""

import json
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from rich.table import Table

from tracelot.core.commands import TracelotCommand, command_console
from tracelot.core.errors import Refused
from tracelot.incidents.causes import (
    Causes,
    failed_lot_ids_between,
    likely_causes,
    passed_lot_ids_for,
)
from tracelot.trace.selectors import trace_start_lot_ids


class Command(TracelotCommand):
    help = (
        "Rank the likely causes of failed lots: input lots at any depth, supplier lots, "
        "suppliers, lines, stations, shifts, operators, steps and work orders, by how much "
        "more often they appear among failed lots than among passed ones (Fisher's exact "
        "test). Without --passed, every other lot of the same items made in the same days "
        "that did not fail is compared."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--failed", nargs="+", metavar="LOT", default=[])
        parser.add_argument("--passed", nargs="+", metavar="LOT", default=None)
        parser.add_argument("--since", type=date.fromisoformat, metavar="DATE")
        parser.add_argument("--until", type=date.fromisoformat, metavar="DATE")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        since, until = options["since"], options["until"]
        if options["failed"]:
            failed = self._lots(options["failed"])
        elif since and until:
            failed = failed_lot_ids_between(since=since, until=until)
        else:
            raise CommandError(
                gettext("Name the failed lots (--failed) or a period (--since and --until).")
            )
        if options["passed"] is not None:
            passed = self._lots(options["passed"])
        else:
            passed = passed_lot_ids_for(failed_lot_ids=failed, since=since, until=until)
        causes = likely_causes(failed_lot_ids=failed, passed_lot_ids=passed, limit=options["limit"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(causes.as_json(), ensure_ascii=False, indent=2))
        else:
            _table(causes, command_console(self))  # type: ignore[attr-defined]

    @staticmethod
    def _lots(texts: list[str]) -> set[int]:
        found: set[int] = set()
        for text in texts:
            try:
                found.update(trace_start_lot_ids(text=text))
            except Refused as refusal:
                raise CommandError(refusal.message) from refusal
        return found


def _table(causes: Causes, console: Any) -> None:
    table = Table(
        title=gettext("Likely causes: %(failed)s failed lots, %(passed)s passed")
        % {"failed": causes.failed, "passed": causes.passed}
    )
    for header in (
        gettext("Kind"),
        gettext("Key"),
        gettext("Name"),
        gettext("In failed lots"),
        gettext("In passed lots"),
        gettext("Lift"),
        gettext("p-value"),
    ):
        table.add_column(header)
    for c in causes.candidates:
        table.add_row(
            c.kind,
            c.key,
            c.name,
            str(c.failed_with),
            str(c.passed_with),
            f"{c.score:.2f}",
            f"{c.p_value:.3g}",
        )
    console.print(table)
