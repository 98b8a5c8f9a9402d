"""`tracelot trace LOT`: backward or forward genealogy as a table, JSON or Graphviz dot."""

from typing import Any

from tracelot.core.commands import TracelotCommand, command_console
from tracelot.trace.engine import Direction, lot_trace
from tracelot.trace.formats import trace_dot, trace_json, trace_table
from tracelot.trace.selectors import trace_start_lot_ids


class Command(TracelotCommand):
    help = (
        "Trace a lot backward (what went into it) or forward (what was made from it and who "
        "received it). LOT is a lot code, supplier lot, GS1 element string or Digital Link, "
        "LGTIN URN, work order or sales order."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("start", metavar="LOT")
        parser.add_argument(
            "--direction", choices=[d.value for d in Direction], default=Direction.BACKWARD
        )
        parser.add_argument("--format", choices=["table", "json", "dot"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        lot_ids = trace_start_lot_ids(text=options["start"])
        trace = lot_trace(lot_ids=lot_ids, direction=Direction(options["direction"]))
        if options["format"] == "json":
            self.stdout.write(trace_json(trace))
        elif options["format"] == "dot":
            self.stdout.write(trace_dot(trace))
        else:
            trace_table(trace, command_console(self))  # type: ignore[attr-defined]
