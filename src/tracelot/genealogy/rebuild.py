"""Rebuild the genealogy edges from the ledger: the edges are derived, the events are the truth."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from tracelot.genealogy.models import Edge
from tracelot.genealogy.services import edges_sync, step_flows
from tracelot.ledger.models import Event, EventKind

CHUNK = 2000


@dataclass
class RebuildReport:
    steps: int = 0
    edges_before: int = 0
    edges_after: int = 0
    differences: int = 0


def _edge_set() -> set[tuple[int, int, int | None, Decimal]]:
    return {
        (s, t, st, q.normalize())
        for s, t, st, q in Edge.objects.values_list("source_id", "target_id", "step_id", "quantity")
    }


def _step_chunks() -> Iterator[tuple[int, list[int]]]:
    steps = (
        Event.objects.filter(step__isnull=False)
        .values_list("site_id", "step_id")
        .distinct()
        .order_by("site_id", "step_id")
    )
    chunk: list[int] = []
    site = None
    for site_id, step_id in steps.iterator(chunk_size=10_000):
        if chunk and (site_id != site or len(chunk) >= CHUNK):
            yield site, chunk  # type: ignore[misc]
            chunk = []
        site = site_id
        chunk.append(step_id)
    if chunk:
        yield site, chunk  # type: ignore[misc]


def _sync_split_and_merge_edges() -> None:
    wanted: dict[tuple[int, int], tuple[int, Decimal]] = {}
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    rows = Event.objects.filter(kind__in=[EventKind.SPLIT, EventKind.MERGE]).values_list(
        "site_id", "lot_id", "other_lot_id", "quantity"
    )
    for site_id, source, target, quantity in rows:
        totals[(source, target)] += quantity
        wanted[(source, target)] = (site_id, totals[(source, target)])
    existing = {(e.source_id, e.target_id): e for e in Edge.objects.filter(step__isnull=True)}
    Edge.objects.filter(
        pk__in=[e.pk for link, e in existing.items() if link not in wanted]
    ).delete()
    for link, (site_id, quantity) in wanted.items():
        edge = existing.get(link)
        if edge is None:
            Edge.objects.create(
                site_id=site_id, source_id=link[0], target_id=link[1], quantity=quantity
            )
        elif edge.quantity != quantity:
            edge.quantity = quantity
            edge.save(update_fields=["quantity"])


def genealogy_rebuild(
    *, apply: bool, progress: Callable[[int, int], None] | None = None
) -> RebuildReport:
    """Recompute every edge from the events; with apply=False only count what would change."""
    report = RebuildReport()
    before = _edge_set()
    report.edges_before = len(before)
    total = Event.objects.filter(step__isnull=False).values("step_id").distinct().count()
    with transaction.atomic():
        for site_id, chunk in _step_chunks():
            edges_sync(site_id=site_id, step_ids=chunk, flows=step_flows(step_ids=chunk))
            report.steps += len(chunk)
            if progress is not None:
                progress(report.steps, total)
        _sync_split_and_merge_edges()
        after = _edge_set()
        report.edges_after = len(after)
        report.differences = len(before ^ after)
        if not apply:
            transaction.set_rollback(True)
    return report
