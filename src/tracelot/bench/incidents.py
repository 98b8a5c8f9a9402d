"""The incident measures of the benchmark: likely causes over a month of failed lots, and a
mock recall of the raw lot that reaches the most lots."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tracelot.bench.timing import summary_ms, timed
from tracelot.incidents.causes import failed_lot_ids_between, likely_causes, passed_lot_ids_for
from tracelot.incidents.containment import lots_contain
from tracelot.incidents.recall import mock_recall
from tracelot.incidents.scope import suspect_scope
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.plants.models import Operator

CAUSES_RUNS = 3
CAUSES_TARGET_MS = 2000.0
MOCK_RECALL_RUNS = 3
MOCK_RECALL_TARGET_MS = 10_000.0
SCOPE_TARGET_MS = 1000.0
CONTAINMENT_TARGET_MS = 5000.0


def measure_causes(*, runs: int = CAUSES_RUNS) -> dict[str, Any] | None:
    """Rank the causes of the last 30 days' failed lots against the lots that passed, as
    `tracelot causes --since --until` does: finding both sets is part of the time."""
    last = Event.objects.filter(kind=EventKind.INSPECT).aggregate(last=Max("occurred_at"))["last"]
    if last is None:
        return None
    until = timezone.localdate(last)  # plant days, as `tracelot causes` counts them
    since = until - timedelta(days=29)

    def rank() -> tuple[int, int, Any]:
        failed = failed_lot_ids_between(since=since, until=until)
        passed = passed_lot_ids_for(failed_lot_ids=failed, since=since, until=until)
        return len(failed), len(passed), likely_causes(failed_lot_ids=failed, passed_lot_ids=passed)

    seconds = []
    counts: tuple[int, int, Any] = (0, 0, None)
    for _run in range(runs):
        took, counts = timed(rank)
        seconds.append(took)
    failed, passed, causes = counts
    summary = summary_ms(seconds)
    first = causes.candidates[0].as_json() if causes and causes.candidates else None
    return {
        **summary,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "failed": failed,
        "passed": passed,
        "first": first,
        "under_target": summary["median"] < CAUSES_TARGET_MS,
    }


def measure_mock_recall(
    *, lot_code: str | None, runs: int = MOCK_RECALL_RUNS
) -> dict[str, Any] | None:
    """A mock recall of `lot_code` (the widest forward trace's raw lot) with its report."""
    lot = Lot.objects.filter(code=lot_code).first() if lot_code else None
    if lot is None:
        return None
    seconds = []
    result = None
    for _run in range(max(runs, 1)):
        took, result = timed(mock_recall, lot=lot)
        seconds.append(took)
    if result is None:
        return None
    summary = summary_ms(seconds)
    return {
        **summary,
        "lot": lot.code,
        "lots": result.scope["lots"],
        "customers": len(result.customers),
        "steps_ms": result.timings_ms,
        "under_target": summary["median"] < MOCK_RECALL_TARGET_MS,
    }


def measure_incident(
    *, lot_code: str | None, runs: int = MOCK_RECALL_RUNS
) -> dict[str, Any] | None:
    """An incident on `lot_code`: its suspect scope, then containment of every lot of it
    still in the plant, timed with its writes and rolled back (the plant stays as built)."""
    lot = Lot.objects.filter(code=lot_code).first() if lot_code else None
    actor = Operator.objects.filter(site_id=lot.site_id).order_by("pk").first() if lot else None
    if lot is None or actor is None:
        return None
    scope_s, contain_s = [], []
    held, reached = 0, 0
    for run in range(max(runs, 1)):
        took, scope = timed(suspect_scope, lot_ids=[lot.pk])
        scope_s.append(took)
        reached = len(scope.lot_ids)
        with transaction.atomic():
            took, done = timed(
                lots_contain,
                lot_ids=scope.lot_ids,
                reason=f"bench containment {run}",
                actor=actor,
                key=f"bench-contain-{run}",
            )
            contain_s.append(took)
            held = len(done.held)
            transaction.set_rollback(True)
    scope_summary, contain_summary = summary_ms(scope_s), summary_ms(contain_s)
    return {
        "incident_scope_ms": {
            **scope_summary,
            "lot": lot.code,
            "lots": reached,
            "under_target": scope_summary["median"] < SCOPE_TARGET_MS,
        },
        "containment_ms": {
            **contain_summary,
            "lot": lot.code,
            "held": held,
            "under_target": contain_summary["median"] < CONTAINMENT_TARGET_MS,
        },
    }
