"""`tracelot recall LOT --mock`: rehearse the recall of a lot, timed, without touching stock."""

import json
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from rich.table import Table

from tracelot.core.commands import TracelotCommand, command_console
from tracelot.core.errors import Refused
from tracelot.incidents.recall import BALANCE, MockRecall, mock_recall
from tracelot.lots.models import Lot
from tracelot.trace.selectors import trace_start_lot_ids


class Command(TracelotCommand):
    help = (
        "Rehearse the recall of LOT (a mock recall): every lot made from it and where it is "
        "now, the customers who received it with lots and quantities, and the mass balance, "
        "each step timed. Nothing is held and no notice is sent."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("lot", metavar="LOT")
        parser.add_argument("--mock", action="store_true")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["mock"]:
            raise CommandError(
                gettext(
                    "A real recall starts from an incident, with containment and notices; "
                    "add --mock to rehearse one here."
                )
            )
        try:
            lot_ids = trace_start_lot_ids(text=options["lot"])
        except Refused as refusal:
            raise CommandError(refusal.message) from refusal
        if len(lot_ids) != 1:
            raise CommandError(
                gettext("%(text)s names %(count)s lots; give one lot code.")
                % {"text": options["lot"], "count": len(lot_ids)}
            )
        result = mock_recall(lot=Lot.objects.get(pk=lot_ids[0]))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            _tables(result, command_console(self))  # type: ignore[attr-defined]


def _labels() -> dict[str, str]:
    return {
        "lots": gettext("Lots in the recall"),
        "in_stock": gettext("In stock"),
        "in_process": gettext("In process"),
        "on_hold": gettext("On hold"),
        "shipped": gettext("Shipped"),
        "consumed": gettext("Consumed"),
        "scrapped": gettext("Scrapped"),
        "made": gettext("Made or received"),
        "returned": gettext("Returned"),
        "unaccounted": gettext("Unaccounted"),
    }


def _tables(result: MockRecall, console: Any) -> None:
    labels = _labels()
    scope = Table(title=gettext("Mock recall of %(lot)s") % {"lot": result.lot})
    scope.add_column(gettext("Lots"))
    scope.add_column(gettext("Count"), justify="right")
    for name, count in result.scope.items():
        scope.add_row(labels.get(name, name), f"{count:,}")
    console.print(scope)
    customers = Table(title=gettext("Customers"))
    for header in (gettext("Customer"), "GLN", gettext("Lots"), gettext("Quantity")):
        customers.add_column(header)
    for c in result.customers:
        customers.add_row(
            f"{c['code']} {c['name']}",
            c["gln"] or "",
            str(len(c["lots"])),
            f"{c['quantity']} {c['unit']}",
        )
    console.print(customers)
    balance = Table(title=gettext("Mass balance"))
    balance.add_column(gettext("Unit"))
    for column in BALANCE:
        balance.add_column(labels[column], justify="right")
    for unit, row in result.mass_balance.items():
        balance.add_row(unit, *(row[column] for column in BALANCE))
    console.print(balance)
    console.print(
        gettext("Timings (ms): %(timings)s")
        % {"timings": ", ".join(f"{k} {v}" for k, v in result.timings_ms.items())}
    )
