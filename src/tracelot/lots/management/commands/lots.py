"""`tracelot lots`: list lots by kind and status, as a table or JSON."""

import json
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from rich.table import Table

from tracelot.core.commands import TracelotCommand, command_console
from tracelot.items.models import ItemKind
from tracelot.lots.models import LotStatus
from tracelot.lots.selectors import lot_list


class Command(TracelotCommand):
    help = "List lots."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", choices=ItemKind.values)
        parser.add_argument("--status", choices=LotStatus.values)
        parser.add_argument("--limit", type=int, default=50)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError(gettext("--limit must be at least 1."))
        rows = lot_list(kind=options["kind"], status=options["status"], limit=options["limit"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table()
        for header in (
            gettext("Lot"),
            gettext("Item"),
            gettext("GTIN"),
            gettext("GS1 batch"),
            gettext("On hand"),
            gettext("Status"),
            gettext("Supplier lot"),
            gettext("Expires"),
        ):
            table.add_column(header)
        for r in rows:
            table.add_row(
                r["code"],
                r["item"],
                r["gtin"] or "",
                r["lot"],
                f"{r['quantity']} {r['unit']}",
                r["status"],
                r["supplier_lot"] or "",
                r["expires_on"] or "",
            )
        command_console(self).print(table)  # type: ignore[attr-defined]
