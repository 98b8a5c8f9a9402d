"""`tracelot recall LOT --mock [--keep]`: rehearse the recall of a lot, timed and scored,
without touching stock; with --keep, the drill is kept in the site's history."""

import json
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from rich.table import Table

from tracelot.core.commands import TracelotCommand, command_console
from tracelot.core.errors import Refused
from tracelot.incidents.drills import LIMIT_NAMES, LIMITS, drill_report, drill_run
from tracelot.incidents.recall import BALANCE, mock_recall
from tracelot.lots.models import Lot
from tracelot.trace.selectors import trace_start_lot_ids


class Command(TracelotCommand):
    help = (
        "Rehearse the recall of LOT (a mock recall): every lot made from it and where it is "
        "now, the customers who received it with lots and quantities, and the mass balance, "
        "each step timed, scored against the BRCGS (4 h) and FSMA 204 (24 h) limits, and "
        "whether every unit is accounted for. Nothing is held and no notice is sent. With "
        "--keep, the drill is kept in the site's history of drills."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("lot", metavar="LOT")
        parser.add_argument("--mock", action="store_true")
        parser.add_argument("--keep", action="store_true")
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
        lot = Lot.objects.get(pk=lot_ids[0])
        if options["keep"]:
            drill = drill_run(lot=lot, by=None)
            report: dict[str, Any] = {**drill.report, "drill": drill.pk}
        else:
            report = drill_report(mock_recall(lot=lot))
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            _tables(report, command_console(self))  # type: ignore[attr-defined]


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


def _tables(report: dict[str, Any], console: Any) -> None:
    labels = _labels()
    scope = Table(title=gettext("Mock recall of %(lot)s") % {"lot": report["lot"]})
    scope.add_column(gettext("Lots"))
    scope.add_column(gettext("Count"), justify="right")
    for name, count in report["scope"].items():
        scope.add_row(labels.get(name, name), f"{count:,}")
    console.print(scope)
    customers = Table(title=gettext("Customers"))
    for header in (gettext("Customer"), "GLN", gettext("Lots"), gettext("Quantity")):
        customers.add_column(header)
    for c in report["customers"]:
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
    for unit, row in report["mass_balance"].items():
        balance.add_row(unit, *(row[column] for column in BALANCE))
    console.print(balance)
    console.print(
        gettext("Timings (ms): %(timings)s")
        % {"timings": ", ".join(f"{k} {v}" for k, v in report["timings_ms"].items())}
    )
    console.print(_score_table(report["score"]))
    console.print(
        gettext("Every unit is accounted for.")
        if report["complete"]
        else gettext("Not every unit is accounted for: see Unaccounted in the mass balance.")
    )
    if "drill" in report:
        console.print(gettext("Kept in the history as drill %(id)s.") % {"id": report["drill"]})


def _score_table(score: dict[str, dict[str, Any]]) -> Table:
    """The drill's time against each limit."""
    table = Table(title=gettext("Score"))
    for header in (gettext("Limit"), gettext("Hours"), gettext("Met"), gettext("Margin (h)")):
        table.add_column(header)
    for name in LIMITS:
        row = score[name]
        table.add_row(
            LIMIT_NAMES[name],
            str(row["limit_hours"]),
            gettext("yes") if row["met"] else gettext("no"),
            f"{row['margin_hours']:.2f}",
        )
    return table
