"""Rebuild the genealogy edges from the ledger: the edges are derived, the events are the truth."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from tracelot.edges.models import Edge
from tracelot.edges.services import edges_sync
from tracelot.ledger.flows import step_flows
from tracelot.ledger.kinds import Role, kinds_where
from tracelot.ledger.models import Event

LINK_KINDS = kinds_where(lambda spec: spec.role == Role.LINK)

CHUNK = 2000


@dataclass
class RebuildReport:
    steps: int = 0
    edges_before: int = 0
    edges_after: int = 0
    differences: int = 0


Link = tuple[int, int, int | None, Decimal]


def _links(edges: QuerySet[Edge]) -> set[Link]:
    return {
        (s, t, st, q.normalize())
        for s, t, st, q in edges.values_list("source_id", "target_id", "step_id", "quantity")
    }


def _step_chunks() -> Iterator[dict[int, int]]:
    """The steps that have events, as {step id: site id}, a chunk at a time."""
    steps = (
        Event.objects.filter(step__isnull=False)
        .values_list("step_id", "site_id")
        .distinct()
        .order_by("step_id")
    )
    chunk: dict[int, int] = {}
    for step_id, site_id in steps.iterator(chunk_size=10_000):
        chunk[step_id] = site_id
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = {}
    if chunk:
        yield chunk


def _sync_split_and_merge_edges() -> int:
    """Make the edges outside steps match the split and merge events; return the differences."""
    wanted: dict[tuple[int, int], tuple[int, Decimal]] = {}
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    rows = Event.objects.filter(kind__in=LINK_KINDS).values_list(
        "site_id", "lot_id", "other_lot_id", "quantity"
    )
    for site_id, source, target, quantity in rows.iterator(chunk_size=10_000):
        totals[(source, target)] += quantity
        wanted[(source, target)] = (site_id, totals[(source, target)])
    before = _links(Edge.objects.filter(step__isnull=True))
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
    return len(before ^ _links(Edge.objects.filter(step__isnull=True)))


def _drop_edges_of_steps_without_events() -> int:
    orphans = Edge.objects.filter(
        ~Exists(Event.objects.filter(step_id=OuterRef("step_id"))), step__isnull=False
    )
    count, _ = orphans.delete()
    return count


def genealogy_rebuild(
    *, apply: bool, progress: Callable[[int, int], None] | None = None
) -> RebuildReport:
    """Recompute every edge from the events; with apply=False only count what would change.

    Streams a chunk of steps at a time: memory stays flat at any size of the ledger.
    """
    report = RebuildReport(edges_before=Edge.objects.count())
    total = Event.objects.filter(step__isnull=False).values("step_id").distinct().count()
    with transaction.atomic():
        for step_sites in _step_chunks():
            step_ids = list(step_sites)
            before = _links(Edge.objects.filter(step_id__in=step_ids))
            edges_sync(step_sites=step_sites, flows=step_flows(step_ids=step_ids))
            report.differences += len(before ^ _links(Edge.objects.filter(step_id__in=step_ids)))
            report.steps += len(step_ids)
            if progress is not None:
                progress(report.steps, total)
        report.differences += _sync_split_and_merge_edges()
        report.differences += _drop_edges_of_steps_without_events()
        report.edges_after = Edge.objects.count()
        if not apply:
            transaction.set_rollback(True)
    return report
