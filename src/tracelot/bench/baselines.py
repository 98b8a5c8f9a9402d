# ruff: noqa: S608 - the table name comes from model metadata; there are no values in the SQL.
"""Two baselines the trace engine is measured against, on the same edges.

(a) `orm_per_level_trace`: the trace simple ERP reports do: level by level, the lot rows
    through the ORM, then for each lot one query for its edges and one for its events with
    the names they point at, so it reads what `lot_trace` returns (lots, edges, events).
(b) `MemoryGraph`: every edge loaded once into numpy CSR arrays and walked breadth-first with
    whole-frontier array operations; the floor a database cannot beat, ignoring load time.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import Max

from tracelot.edges.models import Edge
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.trace.engine import Direction

IdArray = npt.NDArray[np.int64]

# Lot rows are loaded per level in chunks, well under every backend's parameter limit.
_CHUNK = 500


_EVENT_NAMES = (
    "actor",
    "responsible",
    "line",
    "shift",
    "work_order",
    "step",
    "sales_order__customer",
    "purchase_order",
    "location",
)


def orm_per_level_trace(*, lot_ids: Sequence[int], direction: Direction) -> set[int]:
    """Ids reached from `lot_ids` in `direction`, asking the ORM for each visited lot."""
    near, far = _ends(direction)
    reached = set(lot_ids)
    level = list(dict.fromkeys(lot_ids))
    kinds = (EventKind.RECEIVE, EventKind.PRODUCE, EventKind.SHIP)
    while level:
        for start in range(0, len(level), _CHUNK):
            list(Lot.objects.select_related("item").filter(pk__in=level[start : start + _CHUNK]))
        following = []
        for lot_id in level:
            list(Event.objects.filter(lot_id=lot_id, kind__in=kinds).select_related(*_EVENT_NAMES))
            for neighbour, _quantity in Edge.objects.filter(**{near: lot_id}).values_list(
                far, "quantity"
            ):
                # The visited set keeps rework cycles from looping forever.
                if neighbour not in reached:
                    reached.add(neighbour)
                    following.append(neighbour)
        level = following
    return reached


def _ends(direction: Direction) -> tuple[str, str]:
    if direction == Direction.BACKWARD:
        return "target_id", "source_id"
    return "source_id", "target_id"


@dataclass(frozen=True)
class _Csr:
    """Neighbours of lot id `i` are `indices[indptr[i]:indptr[i + 1]]`."""

    indptr: IdArray
    indices: IdArray


@dataclass(frozen=True)
class MemoryGraph:
    """All genealogy edges in memory, in both directions."""

    size: int
    forward: _Csr
    backward: _Csr
    load_s: float

    @classmethod
    def load(cls) -> "MemoryGraph":
        """Read every edge from the database and build the two CSR arrays."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT source_id, target_id FROM {Edge._meta.db_table}")
            rows = cursor.fetchall()
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows))
        sources, targets = flat[0::2], flat[1::2]
        highest = Lot.objects.aggregate(highest=Max("pk"))["highest"] or 0
        size = int(max(highest, flat.max(initial=0))) + 1
        return cls(
            size=size,
            forward=_csr(sources, targets, size),
            backward=_csr(targets, sources, size),
            load_s=time.perf_counter() - started,
        )

    def reach(self, *, lot_ids: Sequence[int], direction: Direction) -> IdArray:
        """Sorted ids of `lot_ids` and every lot reached from them in `direction`."""
        graph = self.backward if direction == Direction.BACKWARD else self.forward
        visited = np.zeros(self.size, dtype=bool)
        frontier = np.unique(np.asarray(lot_ids, dtype=np.int64))
        visited[frontier] = True
        while frontier.size:
            starts = graph.indptr[frontier]
            lengths = graph.indptr[frontier + 1] - starts
            total = int(lengths.sum())
            if not total:
                break
            # Positions of every neighbour of the whole frontier, without a Python loop.
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            neighbours = graph.indices[offsets + np.arange(total)]
            neighbours = np.unique(neighbours[~visited[neighbours]])
            visited[neighbours] = True
            frontier = neighbours
        return np.flatnonzero(visited)


def _csr(near: IdArray, far: IdArray, size: int) -> _Csr:
    order = np.argsort(near, kind="stable")
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(near, minlength=size), out=indptr[1:])
    return _Csr(indptr=indptr, indices=far[order])
