"""`tracelot demo --lots N [--seed S] [--until DATE]`: build the demo plant into an empty database."""

import sys
from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tracelot.core import clock
from tracelot.core.commands import TracelotCommand
from tracelot.demo.builder import DemoBuilder, demo_scale
from tracelot.demo.plant import SITE_CODE
from tracelot.lots.models import Lot
from tracelot.plants.models import Site


def _day(text: str) -> date:
    return date.fromisoformat(text)


class Command(TracelotCommand):
    help = "Build a demo frozen-dumpling plant with about N lots of history ending today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lots", type=int, default=20_000, help=gettext("about how many lots"))
        parser.add_argument(
            "--seed", type=int, default=1, help=gettext("the same seed builds the same plant")
        )
        parser.add_argument(
            "--until",
            type=_day,
            default=None,
            help=gettext("the last day of history (default: today)"),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=gettext("build only into an empty database; otherwise say so and stop"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lots: int = options["lots"]
        if lots < 1:
            raise CommandError(gettext("--lots must be a whole number above zero."))
        if Lot.objects.exists() or Site.objects.filter(code=SITE_CODE).exists():
            if options["if_empty"]:
                self.stdout.write(gettext("The database already holds a plant; no demo built."))
                return
            raise CommandError(
                gettext(
                    "This database already holds lots or a demo plant; "
                    "the demo is built only into an empty database."
                )
            )
        until: date = options["until"] or clock.today()
        per_shift, days = demo_scale(lots)
        self.stdout.write(
            gettext(
                "Building the demo plant: about %(lots)s lots over %(days)s days "
                "(%(orders)s work orders per line and shift), seed %(seed)s."
            )
            % {"lots": lots, "days": days, "orders": per_shift, "seed": options["seed"]}
        )
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
        )
        with progress:
            task = progress.add_task(gettext("Lots"), total=lots)
            builder = DemoBuilder(
                lots=lots,
                seed=options["seed"],
                until=until,
                on_progress=lambda made: progress.update(task, completed=min(made, lots)),
            )
            summary = builder.build()
        lines = [
            (gettext("lots"), summary.lots),
            (gettext("events"), summary.events),
            (gettext("genealogy edges"), summary.edges),
            (gettext("work orders"), summary.work_orders),
            (gettext("purchase orders"), summary.purchase_orders),
            (gettext("sales orders"), summary.sales_orders),
            (gettext("suppliers"), summary.suppliers),
            (gettext("customers"), summary.customers),
        ]
        for label, count in lines:
            self.stdout.write(f"  {label:<18} {count:>10,}")
        self.stdout.write(
            gettext("Built %(first)s to %(last)s in %(seconds).1f s.")
            % {"first": summary.first_day, "last": summary.last_day, "seconds": summary.seconds}
        )
        self.stdout.write(gettext("Demo sign-ins: tracelot demo_logins"))
