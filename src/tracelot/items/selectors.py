"""Item reads: how much of one item goes into another through the bill of materials."""

from collections import defaultdict
from decimal import Decimal

from tracelot.items.models import BomLine


def bom_quantity_in(*, parent_id: int, component_id: int) -> Decimal | None:
    """How much of `component_id` one unit of `parent_id` holds, through every level of the
    bill of materials (1 for the item itself); None when it is not in it.

    A work order for 120 cases of dumplings needs 120 cases at packing, but about 1,200 kg of
    frozen dumplings at freezing and 700 kg of dough at mixing: each step's plan comes from
    this. Rework lines (an item into itself) are left out; they are allowed, not needed.
    """
    if parent_id == component_id:
        return Decimal(1)
    children = _bom_below(parent_id)
    memo: dict[int, Decimal] = {}

    def held(item_id: int, seen: frozenset[int]) -> Decimal:
        if item_id == component_id:
            return Decimal(1)
        if item_id in memo:
            return memo[item_id]
        total = sum(
            (
                per * held(child, seen | {child})
                for child, per in children[item_id]
                if child not in seen
            ),
            Decimal(0),
        )
        memo[item_id] = total
        return total

    found = held(parent_id, frozenset({parent_id}))
    return found if found > 0 else None


def _bom_below(parent_id: int) -> dict[int, list[tuple[int, Decimal]]]:
    """The bill of materials under `parent_id` only, one query per level (a plant's whole BOM
    table can be large; a product's tree is a few levels deep)."""
    children: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    seen: set[int] = {parent_id}
    level = {parent_id}
    while level:
        below: set[int] = set()
        for parent, component, quantity in BomLine.objects.filter(parent_id__in=level).values_list(
            "parent_id", "component_id", "quantity"
        ):
            if parent != component:
                children[parent].append((component, quantity))
                if component not in seen:
                    seen.add(component)
                    below.add(component)
        level = below
    return children
