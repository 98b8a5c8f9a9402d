"""Which steps a work order of an item gets: one per step of the item's routing, in order.

Pure: `orders.services.work_order_create` saves these steps, and the demo's fast path writes
them as rows, so both take a work order's steps from the routing the same way.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from tracelot.orders.models import RoutingStep


@dataclass(frozen=True)
class PlannedStep:
    """A work-order step as the routing gives it, before it belongs to a work order."""

    sequence: int
    operation: str
    name: str
    name_zh: str
    output_item_id: int
    responsible_id: int

    def fields(self) -> dict[str, Any]:
        """The step's values by WorkOrderStep attribute name."""
        return asdict(self)


def work_order_steps_from_routing(*, routing: Iterable[RoutingStep]) -> list[PlannedStep]:
    """The steps of a work order of the item whose routing is `routing`, by sequence."""
    return [
        PlannedStep(
            sequence=step.sequence,
            operation=step.operation,
            name=step.name,
            name_zh=step.name_zh,
            output_item_id=step.output_item_id,
            responsible_id=step.responsible_id,
        )
        for step in sorted(routing, key=lambda step: step.sequence)
    ]
