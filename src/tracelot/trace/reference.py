"""A plain breadth-first search over edges in memory: the reference the trace engine must match."""

from collections import defaultdict, deque
from collections.abc import Iterable


def reference_reach(
    edges: Iterable[tuple[int, int]], start: Iterable[int], *, forward: bool
) -> set[int]:
    """Every node reachable from `start` along `edges` (source, target), start included."""
    neighbours: dict[int, list[int]] = defaultdict(list)
    for source, target in edges:
        if forward:
            neighbours[source].append(target)
        else:
            neighbours[target].append(source)
    seen = set(start)
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for nxt in neighbours[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
