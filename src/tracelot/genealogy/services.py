"""Keep genealogy edges in step with consume/produce events, in the ledger's transaction."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from tracelot.genealogy.models import Edge
from tracelot.ledger.models import Event, EventKind


class StepFlow(NamedTuple):
    """One consume or produce, net of reversals: `quantity` of `lot_id` in or out of `step_id`."""

    step_id: int
    lot_id: int
    quantity: Decimal
    is_input: bool


def step_flows(*, step_ids: Iterable[int]) -> list[StepFlow]:
    """The consumes and produces recorded in `step_ids`, reversed ones cancelled."""
    flows = []
    rows = Event.objects.filter(step_id__in=step_ids).values_list(
        "kind", "lot_id", "quantity", "step_id", "reverses__kind"
    )
    for kind, lot_id, quantity, step_id, reversed_kind in rows:
        if kind == EventKind.REVERSAL:
            kind, quantity = reversed_kind, -quantity
        if kind in (EventKind.CONSUME, EventKind.PRODUCE):
            flows.append(StepFlow(step_id, lot_id, quantity, kind == EventKind.CONSUME))
    return flows


def edges_sync(*, site_id: int, step_ids: Iterable[int], flows: Iterable[StepFlow]) -> None:
    """Make the edges of `step_ids` match `flows`: every input → every output, by input quantity."""
    step_ids = set(step_ids)
    inputs: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    outputs: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for flow in flows:
        side = inputs if flow.is_input else outputs
        side[flow.step_id][flow.lot_id] += flow.quantity
    wanted: dict[tuple[int, int, int], Decimal] = {}
    for step_id in step_ids:
        produced = [lot for lot, quantity in outputs[step_id].items() if quantity > 0]
        for source, quantity in inputs[step_id].items():
            if quantity > 0:
                for target in produced:
                    wanted[(source, target, step_id)] = quantity
    existing = {
        (edge.source_id, edge.target_id, edge.step_id): edge
        for edge in Edge.objects.filter(step_id__in=step_ids)
    }
    stale = [edge.pk for link, edge in existing.items() if link not in wanted]
    if stale:
        Edge.objects.filter(pk__in=stale).delete()
    changed = []
    for link, quantity in wanted.items():
        edge = existing.get(link)
        if edge is not None and edge.quantity != quantity:
            edge.quantity = quantity
            changed.append(edge)
    if changed:
        Edge.objects.bulk_update(changed, ["quantity"])
    Edge.objects.bulk_create(
        [
            Edge(site_id=site_id, source_id=s, target_id=t, step_id=st, quantity=q)
            for (s, t, st), q in wanted.items()
            if (s, t, st) not in existing
        ]
    )


def edge_link(*, site_id: int, source_id: int, target_id: int, quantity: Decimal) -> None:
    """Link a lot to one made from it outside a step (split, merge)."""
    edge, created = Edge.objects.get_or_create(
        site_id=site_id,
        source_id=source_id,
        target_id=target_id,
        step=None,
        defaults={"quantity": quantity},
    )
    if not created:
        edge.quantity += quantity
        edge.save(update_fields=["quantity"])
