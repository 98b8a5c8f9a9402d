"""`tracelot drills`: the history of mock recall drills, the due drills run, a schedule set."""

import json
import secrets
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext
from rich.table import Table

from tracelot.core import clock
from tracelot.core.commands import TracelotCommand, command_console
from tracelot.incidents.drills import (
    LIMIT_NAMES,
    LIMITS,
    drill_schedule_set,
    drill_schedule_summary,
    drills_due_run,
)
from tracelot.incidents.models import Drill, DrillLotKind, DrillSchedule
from tracelot.plants.models import Site


class Command(TracelotCommand):
    help = (
        "Mock recall drills. Without options: the history of drills, newest first, with "
        "their times scored against the BRCGS (4 h) and FSMA 204 (24 h) limits, and the "
        "schedules. --due runs one drill for each site whose scheduled drill is due, on a "
        "random lot of the scheduled kind, and moves the schedule forward; the scheduler "
        "(the worker) calls it daily, and running it twice on a day runs nothing the second "
        "time. --schedule SITE --every DAYS --on finished|raw|any [--next DATE] sets a "
        "site's schedule (the first drill on --next, today when not given)."
    )

    def add_arguments(self, parser: Any) -> None:
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--due", action="store_true")
        action.add_argument("--schedule", metavar="SITE")
        parser.add_argument("--every", type=int, metavar="DAYS")
        parser.add_argument("--on", choices=DrillLotKind.values, dest="lot_kind")
        parser.add_argument("--next", type=date.fromisoformat, metavar="DATE")
        parser.add_argument("--limit", type=int, default=50)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"] is not None:
            schedule = self._schedule(options)
            self._answer(
                options, {"schedule": _schedule_json(schedule)}, [drill_schedule_summary(schedule)]
            )
        elif options["due"]:
            today = clock.today()
            drills = drills_due_run(on=today, rng=secrets.SystemRandom())
            # A site with no lot of the kind to drill on yet: its drill stays due.
            waiting = DrillSchedule.objects.filter(next_on__lte=today).select_related("site")
            answer = {
                "drills": [_drill_json(drill) for drill in drills],
                "still_due": [schedule.site.code for schedule in waiting],
            }
            lines = [
                gettext("%(site)s has no lot to drill on; its drill stays due.")
                % {"site": schedule.site.code}
                for schedule in waiting
            ]
            self._answer(options, answer, [_history(drills), *lines])
        else:
            history = Drill.objects.select_related("site", "lot", "run_by")
            drills = list(history[: max(options["limit"], 0)])
            schedules = list(DrillSchedule.objects.select_related("site").order_by("site__code"))
            answer = {
                "drills": [_drill_json(drill) for drill in drills],
                "schedules": [_schedule_json(schedule) for schedule in schedules],
            }
            self._answer(
                options, answer, [_history(drills), *map(drill_schedule_summary, schedules)]
            )

    def _answer(self, options: dict[str, Any], answer: dict[str, Any], printed: list[Any]) -> None:
        if options["format"] == "json":
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        console = command_console(self)  # type: ignore[attr-defined]
        for part in printed:
            console.print(part)

    @staticmethod
    def _schedule(options: dict[str, Any]) -> DrillSchedule:
        if options["every"] is None or options["lot_kind"] is None:
            raise CommandError(gettext("Give --every DAYS and --on with --schedule."))
        site = Site.objects.filter(code=options["schedule"]).first()
        if site is None:
            raise CommandError(gettext("No site %(code)s.") % {"code": options["schedule"]})
        return drill_schedule_set(
            site=site,
            every_days=options["every"],
            lot_kind=options["lot_kind"],
            next_on=options["next"] or clock.today(),
        )


def _drill_json(drill: Drill) -> dict[str, Any]:
    return {
        "id": drill.pk,
        "site": drill.site.code,
        "lot": drill.lot.code,
        "run_at": drill.run_at.isoformat(),
        "run_by": drill.run_by.code if drill.run_by else None,
        "scheduled": drill.scheduled,
        "total_ms": drill.total_ms,
        "complete": drill.complete,
        "score": drill.report.get("score", {}),
    }


def _schedule_json(schedule: DrillSchedule) -> dict[str, Any]:
    return {
        "site": schedule.site.code,
        "every_days": schedule.every_days,
        "on": schedule.lot_kind,
        "next_on": schedule.next_on.isoformat(),
    }


def _history(drills: list[Drill]) -> Table:
    table = Table(title=gettext("Mock recall drills"))
    # Narrow enough for an 80-column terminal: the site is in the JSON, the headers wrap.
    for header in (gettext("Run at"), gettext("Lot"), gettext("Run by")):
        table.add_column(header, no_wrap=True)
    table.add_column(gettext("Total time (ms)"), justify="right", min_width=5)
    for header in (*LIMIT_NAMES.values(), gettext("Mass balance")):
        table.add_column(header, justify="center", min_width=7)
    for drill in drills:
        score = drill.report.get("score", {})
        table.add_row(
            clock.localdate(drill.run_at).isoformat(),
            drill.lot.code,
            drill.run_by.code if drill.run_by else gettext("the schedule"),
            f"{drill.total_ms:,.1f}",
            *(_mark(score.get(name, {}).get("met", False)) for name in LIMITS),
            _mark(drill.complete),
        )
    return table


def _mark(value: bool) -> str:
    return "✓" if value else "✗"
