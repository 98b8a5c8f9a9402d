"""Keep genealogy edges in step with the flows of work-order steps, in the ledger's transaction.

Below the ledger: the ledger says what flowed (ledger.flows, net of reversals) and calls
these; nothing here reads events.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from tracelot.edges.models import Edge


class StepFlow(NamedTuple):
    """One consume or produce, net of reversals: `quantity` of `lot_id` in or out of `step_id`."""

    step_id: int
    lot_id: int
    quantity: Decimal
    is_input: bool


def edges_sync(*, step_sites: Mapping[int, int], flows: Iterable[StepFlow]) -> None:
    """Make the edges of the steps in `step_sites` (step id → site id) match `flows`:
    every input → every output, by input quantity. Each edge carries its own step's site."""
    inputs: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    outputs: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for flow in flows:
        side = inputs if flow.is_input else outputs
        side[flow.step_id][flow.lot_id] += flow.quantity
    wanted: dict[tuple[int, int, int], Decimal] = {}
    for step_id in step_sites:
        produced = [lot for lot, quantity in outputs[step_id].items() if quantity > 0]
        for source, quantity in inputs[step_id].items():
            if quantity > 0:
                for target in produced:
                    wanted[(source, target, step_id)] = quantity
    existing = {
        (edge.source_id, edge.target_id, edge.step_id): edge
        for edge in Edge.objects.filter(step_id__in=list(step_sites))
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
            Edge(site_id=step_sites[st], source_id=s, target_id=t, step_id=st, quantity=q)
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
