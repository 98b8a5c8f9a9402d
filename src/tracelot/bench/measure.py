"""What one scale's worker measures in its own database: traces, baselines and recording."""

import random
import statistics
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.utils.translation import gettext
from rich.progress import Progress, TaskID

from tracelot.bench.baselines import MemoryGraph, orm_per_level_trace
from tracelot.bench.incidents import measure_causes, measure_incident, measure_mock_recall
from tracelot.bench.pages import measure_pages
from tracelot.bench.scans import measure_scans
from tracelot.bench.stations import OPERATOR_PAUSE_S, STATIONS, measure_stations
from tracelot.bench.timing import ratio, summary_ms, timed
from tracelot.edges.models import Edge
from tracelot.items.models import ItemKind
from tracelot.ledger import services
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import EventKind, Via
from tracelot.ledger.recording import record
from tracelot.lots.models import TERMINAL, Lot
from tracelot.plants.models import Location, Operator
from tracelot.trace.engine import Direction, lot_trace, reached_lot_ids

BATCH_SIZE = 1000
# The wide forward trace: a raw lot that went into about 10,000 lots.
WIDE_REACH = 10_000
_WIDE_CANDIDATES = 50

# A backward trace starts at what was shipped, a forward trace at what was bought.
_START_KIND = {Direction.BACKWARD: ItemKind.FINISHED, Direction.FORWARD: ItemKind.RAW}
_OUT_OF_STOCK = TERMINAL


@dataclass(frozen=True)
class Settings:
    """How much to measure: traces per direction, ORM traces, single and batched events,
    stations scanning at once (0: none, as in a test that holds one transaction open)."""

    samples: int = 30
    orm_samples: int = 5
    single_events: int = 300
    batches: int = 5
    seed: int = 1
    stations: int = STATIONS


@dataclass
class _Walks:
    """Per-lot timings (seconds) and reached counts of one direction, in sample order."""

    engine: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    reached: list[int] = field(default_factory=list)
    orm: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    mismatched: list[int] = field(default_factory=list)


def sample_lots(*, kind: str, count: int, seed: int) -> list[int]:
    """`count` lot ids of items of `kind`, the same ones for the same seed and database."""
    ids = list(Lot.objects.filter(item__kind=kind).order_by("pk").values_list("pk", flat=True))
    return random.Random(f"{seed}:{kind}").sample(ids, min(count, len(ids)))  # noqa: S311


# The PostgreSQL settings the README recommends: figures are comparable only with them named.
SERVER_SETTINGS = (
    "shared_buffers", "effective_cache_size", "work_mem", "random_page_cost", "jit",
    "max_parallel_workers_per_gather", "synchronous_commit",
)  # fmt: skip


def _server_settings() -> dict[str, str] | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
            [list(SERVER_SETTINGS)],
        )
        return dict(cursor.fetchall())


def measure_scale(*, lots: int, settings: Settings, progress: Progress) -> dict[str, Any]:
    """Measure the plant in the configured database; one JSON entry of the report."""
    if connection.vendor == "postgresql":
        # A freshly bulk-loaded database has no statistics until autovacuum gets to it, and
        # without them the planner hash-joins whole tables (measured: 700 ms traces at 100k).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    graph = MemoryGraph.load()
    walks = {
        direction: _walk(
            sample_lots(kind=_START_KIND[direction], count=settings.samples, seed=settings.seed),
            direction=direction,
            graph=graph,
            settings=settings,
            progress=progress,
        )
        for direction in (Direction.BACKWARD, Direction.FORWARD)
    }
    back, forward = walks[Direction.BACKWARD], walks[Direction.FORWARD]
    wide = measure_wide_forward(graph=graph, settings=settings, progress=progress)
    return {
        "lots": lots,
        "database": "postgresql" if connection.vendor == "postgresql" else connection.vendor,
        "server_settings": _server_settings(),
        "lots_in_database": Lot.objects.count(),
        "edges": Edge.objects.count(),
        "build_s": None,
        "samples": {"backward": len(back.engine), "forward": len(forward.engine)},
        "backward_ms": summary_ms(back.engine),
        "forward_ms": summary_ms(forward.engine),
        "backward_reached": _median_int(back.reached),
        "forward_reached": _median_int(forward.reached),
        "forward_reached_max": max(forward.reached, default=0),
        "reached_ids_ms": {"backward": summary_ms(back.bare), "forward": summary_ms(forward.bare)},
        "baselines": {
            "orm_per_level": {
                "backward_ms": summary_ms(back.orm),
                "forward_ms": summary_ms(forward.orm),
                "samples": min(len(back.orm), len(forward.orm)),
            },
            "memory_bfs": {
                "backward_ms": summary_ms(back.memory),
                "forward_ms": summary_ms(forward.memory),
                "load_s": round(graph.load_s, 3),
            },
        },
        "ratios": {
            "forward_vs_orm": _same_lots_ratio(forward),
            "backward_vs_orm": _same_lots_ratio(back),
            "forward_ids_vs_orm": _same_lots_ratio(forward, bare=True),
            "backward_ids_vs_orm": _same_lots_ratio(back, bare=True),
        },
        "agreement": {
            "checked": len(back.engine) + len(forward.engine),
            "mismatched_lots": back.mismatched + forward.mismatched,
        },
        "wide_forward": wide,
        "record_events_per_s": measure_recording(settings=settings, progress=progress),
        "pages_ms": measure_pages(),
        "causes_ms": measure_causes(),
        "mock_recall_ms": measure_mock_recall(lot_code=wide["lot"] if wide else None),
        **(
            measure_incident(lot_code=wide["lot"] if wide else None)
            or {"incident_scope_ms": None, "containment_ms": None}
        ),
        "scan_ms": measure_scans(),
        "stations_ms": (
            measure_stations(stations=settings.stations, pause_s=OPERATOR_PAUSE_S)
            if settings.stations
            else None
        ),
        "stations_back_to_back_ms": (
            measure_stations(stations=settings.stations, pause_s=0.0) if settings.stations else None
        ),
    }


def _walk(
    lot_ids: list[int],
    *,
    direction: Direction,
    graph: MemoryGraph,
    settings: Settings,
    progress: Progress,
) -> _Walks:
    walks = _Walks()
    if not lot_ids:
        return walks
    # One untimed pass first, so no sample pays for cold caches or compiled statements.
    lot_trace(lot_ids=lot_ids[:1], direction=direction)
    orm_per_level_trace(lot_ids=lot_ids[:1], direction=direction)
    orm_count = min(settings.orm_samples, len(lot_ids))
    label = (
        gettext("Backward traces") if direction == Direction.BACKWARD else gettext("Forward traces")
    )
    task = progress.add_task(label, total=len(lot_ids) + orm_count)
    for lot_id in lot_ids:
        seconds, trace = timed(lot_trace, lot_ids=[lot_id], direction=direction)
        walks.engine.append(seconds)
        walks.reached.append(len(trace.lots))
        seconds, ids = timed(reached_lot_ids, lot_ids=[lot_id], direction=direction)
        walks.bare.append(seconds)
        seconds, in_memory = timed(graph.reach, lot_ids=[lot_id], direction=direction)
        walks.memory.append(seconds)
        if set(ids) != set(in_memory.tolist()):
            walks.mismatched.append(lot_id)
        progress.advance(task)
    _walk_orm(lot_ids[:orm_count], direction=direction, walks=walks, progress=progress, task=task)
    return walks


def _walk_orm(
    lot_ids: list[int], *, direction: Direction, walks: _Walks, progress: Progress, task: TaskID
) -> None:
    # Capped: one forward trace of a raw lot can cost the ORM walk many seconds at 1M lots.
    for lot_id in lot_ids:
        seconds, ids = timed(orm_per_level_trace, lot_ids=[lot_id], direction=direction)
        walks.orm.append(seconds)
        if set(ids) != set(reached_lot_ids(lot_ids=[lot_id], direction=direction)):
            walks.mismatched.append(lot_id)
        progress.advance(task)


def widest_material_lot(*, graph: MemoryGraph, wanted: int = WIDE_REACH) -> tuple[int, int] | None:
    """The bought-in lot (raw material or packaging) whose forward trace reaches `wanted` lots
    or just over, else the widest one: a recall of a film or seasoning lot is the wide case.

    Only the lots that feed the most outputs are tried, in memory, so this stays cheap.
    """
    bought = Lot.objects.filter(item__kind__in=[ItemKind.RAW, ItemKind.PACKAGING])
    raw = np.fromiter(bought.values_list("pk", flat=True), dtype=np.int64)
    if not raw.size:
        return None
    fan_out = graph.forward.indptr[raw + 1] - graph.forward.indptr[raw]
    candidates = raw[np.argsort(-fan_out, kind="stable")[:_WIDE_CANDIDATES]]
    reach = {
        int(lot_id): graph.reach(lot_ids=[int(lot_id)], direction=Direction.FORWARD).size
        for lot_id in candidates
    }
    enough = [(size, lot_id) for lot_id, size in reach.items() if size >= wanted]
    size, lot_id = min(enough) if enough else max((size, lot_id) for lot_id, size in reach.items())
    return lot_id, size


def measure_wide_forward(
    *, graph: MemoryGraph, settings: Settings, progress: Progress
) -> dict[str, Any] | None:
    """Time the forward trace of one bought-in lot that reaches about 10,000 lots."""
    widest = widest_material_lot(graph=graph)
    if widest is None:
        return None
    lot_id, reached = widest
    repeats = max(5, settings.samples // 3)
    task = progress.add_task(gettext("Widest forward trace"), total=repeats + 1)
    lot_trace(lot_ids=[lot_id], direction=Direction.FORWARD)
    engine, bare, memory = [], [], []
    for _ in range(repeats):
        engine.append(timed(lot_trace, lot_ids=[lot_id], direction=Direction.FORWARD)[0])
        bare.append(timed(reached_lot_ids, lot_ids=[lot_id], direction=Direction.FORWARD)[0])
        memory.append(timed(graph.reach, lot_ids=[lot_id], direction=Direction.FORWARD)[0])
        progress.advance(task)
    orm_s, orm_ids = timed(orm_per_level_trace, lot_ids=[lot_id], direction=Direction.FORWARD)
    progress.advance(task)
    return {
        "lot": Lot.objects.get(pk=lot_id).code,
        "reached": reached,
        "forward_ms": summary_ms(engine),
        "reached_ids_ms": summary_ms(bare),
        "memory_bfs_ms": summary_ms(memory),
        "orm_per_level_ms": round(orm_s * 1000, 1),
        "forward_vs_orm": ratio(orm_s, statistics.median(engine)),
        "forward_ids_vs_orm": ratio(orm_s, statistics.median(bare)),
        "agrees": len(orm_ids) == reached,
    }


def _same_lots_ratio(walks: _Walks, *, bare: bool = False) -> float | None:
    # The ORM walks only the first few sampled lots; compare the engine on those same lots.
    # `bare` compares the ids alone (reached_lot_ids), the ORM walk's own output.
    if not walks.orm:
        return None
    engine = (walks.bare if bare else walks.engine)[: len(walks.orm)]
    return ratio(statistics.median(walks.orm), statistics.median(engine))


def _median_int(values: Sequence[int]) -> int:
    return round(statistics.median(values)) if values else 0


def measure_recording(*, settings: Settings, progress: Progress) -> dict[str, Any]:
    """Events per second through the ledger: one per transaction, and in batches of 1,000."""
    pool = lots_in_stock(settings.single_events + settings.batches * BATCH_SIZE, settings.seed)
    if not pool:
        return {"single": None, "batch": None, "single_events": 0, "batch_events": 0}
    factory = DraftFactory(pool, settings.seed)
    task = progress.add_task(
        gettext("Recording events"), total=settings.single_events + settings.batches
    )
    started = time.perf_counter()
    for _ in range(settings.single_events):
        factory.record_one()
        progress.advance(task)
    single_s = time.perf_counter() - started
    batch_s = 0.0
    for _ in range(settings.batches):
        drafts = [factory.draft() for _ in range(BATCH_SIZE)]
        seconds, _events = timed(record, drafts)
        batch_s += seconds
        progress.advance(task)
    batch_events = settings.batches * BATCH_SIZE
    return {
        "single": round(settings.single_events / single_s, 1) if single_s else None,
        "batch": round(batch_events / batch_s, 1) if batch_s else None,
        "single_events": settings.single_events,
        "batch_events": batch_events,
        "batch_size": BATCH_SIZE,
    }


def lots_in_stock(count: int, seed: int) -> list[Lot]:
    ids = list(
        Lot.objects.exclude(status__in=_OUT_OF_STOCK).order_by("pk").values_list("pk", flat=True)
    )
    chosen = random.Random(f"{seed}:record").sample(ids, min(count, len(ids)))  # noqa: S311
    lots = Lot.objects.in_bulk(chosen)
    return [lots[pk] for pk in chosen]


class DraftFactory:
    """Real events on lots in stock: three inspections for every move to another location."""

    def __init__(self, pool: list[Lot], seed: int) -> None:
        self.pool = pool
        self.turn = 0
        self.locations: dict[int, list[Location]] = {}
        for location in Location.objects.order_by("pk"):
            self.locations.setdefault(location.site_id, []).append(location)
        self.actors = {op.site_id: op for op in Operator.objects.order_by("-pk")}
        self.random = random.Random(f"{seed}:drafts")  # noqa: S311

    def _next(self) -> tuple[Lot, Location | None]:
        lot = self.pool[self.turn % len(self.pool)]
        self.turn += 1
        locations = self.locations.get(lot.site_id, [])
        if self.turn % 4 or not locations:
            return lot, None
        return lot, self.random.choice(locations)

    def draft(self, key: str = "") -> Draft:
        lot, location = self._next()
        key = key or f"bench-{uuid.uuid4().hex}"
        actor = self.actors.get(lot.site_id)
        if location is not None:
            return Draft(
                kind=EventKind.MOVE,
                lot=lot,
                quantity=lot.quantity_on_hand,
                key=key,
                via=Via.API,
                actor=actor,
                location=location,
            )
        return Draft(
            kind=EventKind.INSPECT,
            lot=lot,
            quantity=lot.quantity_on_hand,
            key=key,
            via=Via.API,
            actor=actor,
            data={"characteristic": "temp", "result": "pass"},
        )

    def record_one(self, key: str = "") -> None:
        """Record one event through its service, in its own transaction."""
        lot, location = self._next()
        key = key or f"bench-{uuid.uuid4().hex}"
        actor = self.actors.get(lot.site_id)
        if actor is None:
            record([self.draft(key)])
        elif location is not None:
            services.lot_move(lot=lot, location=location, actor=actor, key=key, via=Via.API)
        else:
            services.lot_inspect(
                lot=lot, characteristic="temp", passed=True, actor=actor, key=key, via=Via.API
            )
