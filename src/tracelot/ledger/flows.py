"""What flowed in and out of work-order steps, net of reversals, as the genealogy needs it."""

from collections.abc import Iterable
from decimal import Decimal

from tracelot.edges.services import StepFlow
from tracelot.ledger.kinds import Role, kinds_where, standing
from tracelot.ledger.models import Event, EventKind

# The kinds that move material through a step, and the reversals that can cancel them.
STEP_KINDS = kinds_where(lambda spec: spec.role in (Role.INPUT, Role.OUTPUT))


def step_flow(
    *, step_id: int, lot_id: int, kind: str, reversed_kind: str | None, quantity: Decimal
) -> StepFlow | None:
    """The flow one event adds to its step, or None when its kind moves no material."""
    spec, signed = standing(kind, reversed_kind, quantity)
    if spec.role not in (Role.INPUT, Role.OUTPUT):
        return None
    return StepFlow(step_id, lot_id, signed, spec.role == Role.INPUT)


def step_flows(*, step_ids: Iterable[int]) -> list[StepFlow]:
    """The consumes and produces recorded in `step_ids`, reversed ones cancelled."""
    rows = Event.objects.filter(
        step_id__in=list(step_ids), kind__in=[*STEP_KINDS, EventKind.REVERSAL]
    ).values_list("step_id", "lot_id", "kind", "reverses__kind", "quantity")
    flows = []
    for step_id, lot_id, kind, reversed_kind, quantity in rows:
        flow = step_flow(
            step_id=step_id,
            lot_id=lot_id,
            kind=kind,
            reversed_kind=reversed_kind,
            quantity=quantity,
        )
        if flow is not None:
            flows.append(flow)
    return flows
