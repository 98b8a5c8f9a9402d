"""Mock recall drills: a mock recall kept in a history, scored against the time limits an
auditor holds the plant to, and run on a schedule on a lot chosen at random.

BRCGS Food Safety asks for a recall and traceability test at least once a year, traced within
4 hours; FSMA 204 (21 CFR 1.1455(c)) for the traceability records within 24 hours of the FDA's
request. A drill is the evidence: when it was run, on which lot, by whom, how long each step
took and whether every unit made from the lot was accounted for.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef
from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.incidents.models import Drill, DrillLotKind, DrillSchedule
from tracelot.incidents.recall import MockRecall, mock_recall
from tracelot.items.models import ItemKind
from tracelot.ledger.models import Event
from tracelot.lots.models import Lot
from tracelot.plants.models import Operator, Site

BRCGS_LIMIT_HOURS = 4
FSMA_204_LIMIT_HOURS = 24
# The limits a drill is scored against, by the key its report names them with.
LIMITS = {"brcgs": BRCGS_LIMIT_HOURS, "fsma_204": FSMA_204_LIMIT_HOURS}
LIMIT_NAMES = {"brcgs": "BRCGS", "fsma_204": "FSMA 204"}  # names of standards: not translated
EVERY_DAYS_MAX = 366  # at least once a year, leap years included
HOUR_MS = 3_600_000


def drill_score(total_ms: float) -> dict[str, dict[str, Any]]:
    """Score a drill's total time against each limit: met or not, and by how many hours."""
    return {
        name: {
            "limit_hours": hours,
            "met": total_ms <= hours * HOUR_MS,
            # Hours to spare (negative: hours over the limit).
            "margin_hours": round(hours - total_ms / HOUR_MS, 4),
        }
        for name, hours in LIMITS.items()
    }


def drill_complete(mass_balance: dict[str, dict[str, str]]) -> bool:
    """Whether every unit made from the lot is accounted for, in every unit of measure."""
    return all(Decimal(row["unaccounted"]) == 0 for row in mass_balance.values())


def drill_report(recall: MockRecall) -> dict[str, Any]:
    """The report of a mock recall with its score and completeness, as a drill keeps it."""
    return {
        **recall.as_json(),
        "score": drill_score(recall.timings_ms["total"]),
        "complete": drill_complete(recall.mass_balance),
    }


@transaction.atomic
def drill_run(*, lot: Lot, by: Operator | None, scheduled: bool = False) -> Drill:
    """Run a mock recall of `lot` and keep it, with its score, in the site's drill history."""
    run_at = clock.now()
    report = drill_report(mock_recall(lot=lot))
    return Drill.objects.create(
        site_id=lot.site_id,
        lot=lot,
        run_at=run_at,
        run_by=by,
        scheduled=scheduled,
        report=report,
        total_ms=report["timings_ms"]["total"],
        complete=report["complete"],
    )


def drill_lot_pick(*, site: Site, lot_kind: str, rng: random.Random) -> Lot | None:
    """A lot of `site` of `lot_kind` with events, at random; None when the site has none.

    The lots are never loaded: a random pk between the lowest and the highest of the
    candidates, then the first candidate at or after it (a lot after a gap in the pks is a
    little likelier, which a drill does not mind)."""
    lots = Lot.objects.filter(site=site).filter(Exists(Event.objects.filter(lot=OuterRef("pk"))))
    if lot_kind == DrillLotKind.FINISHED:
        lots = lots.filter(item__kind=ItemKind.FINISHED)
    elif lot_kind == DrillLotKind.RAW:
        lots = lots.filter(supplier__isnull=False)  # received from a supplier
    bounds = lots.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return None
    pivot = rng.randint(bounds["low"], bounds["high"])
    return lots.filter(pk__gte=pivot).order_by("pk").first()


@transaction.atomic
def drill_schedule_set(
    *, site: Site, every_days: int, lot_kind: str, next_on: date
) -> DrillSchedule:
    """Set how often `site` rehearses a recall, on which kind of lot, and the next date."""
    if not 1 <= every_days <= EVERY_DAYS_MAX:
        raise Refused(
            "drill_every_days",
            gettext("A drill is run every 1 to %(max)s days, not every %(days)s.")
            % {"max": EVERY_DAYS_MAX, "days": every_days},
        )
    if lot_kind not in DrillLotKind.values:
        raise Refused(
            "drill_lot_kind",
            gettext(
                "A drill is run on a finished lot, a raw material lot or any lot, not %(kind)s."
            )
            % {"kind": lot_kind},
        )
    schedule, _created = DrillSchedule.objects.update_or_create(
        site=site, defaults={"every_days": every_days, "lot_kind": lot_kind, "next_on": next_on}
    )
    return schedule


def drill_schedule_summary(schedule: DrillSchedule) -> str:
    """The schedule in one sentence, as a page's message or a command's line says it."""
    return gettext("%(site)s: a drill every %(days)s days on %(kind)s, next on %(next)s.") % {
        "site": schedule.site.code,
        "days": schedule.every_days,
        "kind": schedule.get_lot_kind_display(),
        "next": schedule.next_on.isoformat(),
    }


def drills_due_run(*, on: date, rng: random.Random) -> list[Drill]:
    """Run one drill for each schedule due by `on` and move its date past `on`.

    Safe to run twice: a schedule that ran is no longer due. A site with no lot of the kind
    yet runs nothing and stays due, so its drill runs on the first day it has one."""
    drills = []
    for schedule_id in DrillSchedule.objects.filter(next_on__lte=on).values_list("pk", flat=True):
        drill = _scheduled_drill_run(schedule_id=schedule_id, on=on, rng=rng)
        if drill is not None:
            drills.append(drill)
    return drills


@transaction.atomic
def _scheduled_drill_run(*, schedule_id: int, on: date, rng: random.Random) -> Drill | None:
    # Locked and read again: two workers starting together run the drill once.
    schedule = DrillSchedule.objects.select_for_update().select_related("site").get(pk=schedule_id)
    if schedule.next_on > on:
        return None
    lot = drill_lot_pick(site=schedule.site, lot_kind=schedule.lot_kind, rng=rng)
    if lot is None:
        return None
    drill = drill_run(lot=lot, by=None, scheduled=True)
    periods = (on - schedule.next_on).days // schedule.every_days + 1
    schedule.next_on += timedelta(days=periods * schedule.every_days)
    schedule.save(update_fields=["next_on"])
    return drill
