"""`tracelot bench`: time traces and recording at several plant sizes, against two baselines."""

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tracelot.bench.alerts import alerts_raise, deliveries_state, measure_alert_cost
from tracelot.bench.alerts_run import alerts_bench, alerts_render
from tracelot.bench.faults import SEGMENT, Campaign, fault_campaign, fault_zygote
from tracelot.bench.measure import Settings, measure_scale
from tracelot.bench.report import render
from tracelot.bench.runner import (
    ScaleDatabase,
    fault_database,
    json_target,
    run_scale,
    scales_plan,
)
from tracelot.bench.stations import STATIONS


class Command(BaseCommand):
    help = "Time traces and event recording at several plant sizes, against two baselines."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse cannot format lazy strings: translate when the parser is built.
        self.help = gettext(
            "Build plants at two or more scales (once, then reused) and time backward and "
            "forward traces and event recording against an ORM walk and an in-memory search."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", metavar="FILE", help=gettext("Write one entry per scale to FILE.")
        )
        parser.add_argument(
            "--scales", help=gettext("Lot counts, comma-separated (default 10000,100000,1000000).")
        )
        parser.add_argument(
            "--max-lots", type=int, help=gettext("Cap the largest scale at N lots.")
        )
        parser.add_argument(
            "--samples", type=int, default=30, help=gettext("Traces per measurement.")
        )
        parser.add_argument(
            "--orm-samples",
            type=int,
            default=5,
            help=gettext("Traces per direction for the ORM walk."),
        )
        parser.add_argument(
            "--stations",
            type=int,
            default=STATIONS,
            help=gettext("Scan stations scanning at once (default 20; 0 leaves them out)."),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help=gettext("Seed of the plant and samples.")
        )
        parser.add_argument(
            "--rebuild", action="store_true", help=gettext("Build every plant again, not reuse it.")
        )
        # The parent runs one child per scale with the environment of that scale's database.
        parser.add_argument("--scale-worker", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--lots", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--out", help=argparse.SUPPRESS)
        parser.add_argument(
            "--faults",
            type=int,
            metavar="N",
            help=gettext(
                "Instead of timing: N crash trials, each killing a recording process at a "
                "random moment and checking that nothing acknowledged was lost or doubled."
            ),
        )
        parser.add_argument(
            "--alerts",
            type=int,
            metavar="N",
            help=gettext(
                "Instead of timing traces: what an alert rule adds to recording, how fast one "
                "worker delivers N alerts to a local webhook, and whether any is lost when the "
                "worker or the receiver is killed mid-delivery."
            ),
        )
        # The alerts bench's steps inside the scratch plant.
        parser.add_argument("--alerts-child", choices=["cost", "raise", "state"],
                            help=argparse.SUPPRESS)  # fmt: skip
        parser.add_argument("--url", help=argparse.SUPPRESS)
        parser.add_argument("--tag", help=argparse.SUPPRESS)
        # The crash trials' zygote: it forks each writer (check what the killed writer before
        # it left, then write until killed).
        parser.add_argument("--fault-zygote", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["samples"] < 1 or options["orm_samples"] < 1:
            raise CommandError(gettext("--samples and --orm-samples must be at least 1."))
        if options["stations"] < 0:
            raise CommandError(gettext("--stations must be 0 or more."))
        settings = Settings(
            samples=options["samples"],
            orm_samples=options["orm_samples"],
            seed=options["seed"],
            stations=options["stations"],
        )
        if options["scale_worker"]:
            self._work(lots=options["lots"], out=options["out"], settings=settings)
            return
        if options["fault_zygote"]:
            fault_zygote()
            return
        if options["faults"] is not None:
            self._faults(options["faults"], seed=settings.seed)
            return
        if options["alerts_child"]:
            self._alerts_child(options)
            return
        if options["alerts"] is not None:
            self._alerts(options["alerts"], seed=settings.seed, json_path=options["json"])
            return
        plan = scales_plan(scales=options["scales"], max_lots=options["max_lots"])
        target = json_target(options["json"])
        entries = []
        for lots in plan:
            database = ScaleDatabase.for_scale(lots=lots, seed=settings.seed)
            self.stdout.write(
                gettext("Scale %(lots)s lots: %(database)s")
                % {"lots": f"{lots:,}", "database": database.label}
            )
            entries.append(
                run_scale(database=database, settings=settings, rebuild=options["rebuild"])
            )
        self.stdout.write(render(entries), ending="")
        if target is not None:
            try:
                target.write_text(json.dumps(entries, indent=2) + "\n")
            except OSError as error:
                raise CommandError(
                    gettext("Cannot write the report to %(path)s: %(error)s")
                    % {"path": target, "error": error.strerror}
                ) from None
            self.stdout.write(gettext("Wrote %(path)s") % {"path": target})

    def _faults(self, trials: int, *, seed: int) -> None:
        if trials < 1:
            raise CommandError(gettext("--faults must be at least 1."))
        plant = fault_database(seed=seed)
        self.stdout.write(gettext("Crash trials in %(database)s") % {"database": plant.label})
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())  # fmt: skip
        campaign = Campaign()
        try:
            with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task(gettext("Kill trials"), total=trials)
                # A fresh copy of the plant every SEGMENT trials keeps each trial's full check
                # (the whole chain, every lot) as quick at the 10,000th trial as at the first.
                for first in range(0, trials, SEGMENT):
                    database = plant.clone(f"s{first // SEGMENT}")

                    def done(count: int, first: int = first) -> None:
                        progress.update(task, completed=first + count)

                    try:
                        campaign.add(
                            fault_campaign(
                                trials=min(SEGMENT, trials - first),
                                env=database.env(),
                                seed=seed + first,
                                progress=done,
                            )
                        )
                    finally:
                        database.drop()
        finally:
            plant.drop()
        self.stdout.write(
            gettext(
                "%(trials)s trials, %(kills)s kills, %(acknowledged)s events acknowledged: "
                "%(failed)s trials lost, doubled or broke something (%(seconds)s s)."
            )
            % {
                "trials": campaign.trials,
                "kills": campaign.kills,
                "acknowledged": f"{campaign.acknowledged:,}",
                "failed": len(campaign.failures),
                "seconds": round(campaign.seconds),
            }
        )
        for failure in campaign.failures[:20]:
            self.stderr.write(failure)
        if campaign.failures:
            raise SystemExit(1)

    def _alerts(self, count: int, *, seed: int, json_path: str | None) -> None:
        if count < 10:
            raise CommandError(gettext("--alerts must be at least 10."))
        target = json_target(json_path)
        plant = fault_database(seed=seed)
        self.stdout.write(gettext("Alerts in %(database)s") % {"database": plant.label})
        try:
            report = alerts_bench(plant, count=count, say=self.stdout.write)
        finally:
            plant.drop()
        self.stdout.write(alerts_render(report), ending="")
        if target is not None:
            target.write_text(json.dumps(report, indent=2) + "\n")
            self.stdout.write(gettext("Wrote %(path)s") % {"path": target})
        if not (report["delivery"]["all_arrived"] and report["kills"]["all_arrived"]):
            raise SystemExit(1)

    def _alerts_child(self, options: dict[str, Any]) -> None:
        if options["alerts_child"] == "cost":
            result: Any = measure_alert_cost()
        elif options["alerts_child"] == "raise":
            result = alerts_raise(count=options["lots"], url=options["url"], tag=options["tag"])
        else:
            result = deliveries_state(tag=options["tag"])
        Path(options["out"]).write_text(json.dumps(result))

    def _work(self, *, lots: int | None, out: str | None, settings: Settings) -> None:
        from tracelot.lots.models import Lot

        if not lots or not out:
            raise CommandError(gettext("--scale-worker needs --lots and --out."))
        if not Lot.objects.exists():
            raise CommandError(gettext("The database has no lots to trace."))
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            entry = measure_scale(lots=lots, settings=settings, progress=progress)
        Path(out).write_text(json.dumps(entry))
