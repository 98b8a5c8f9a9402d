# ruff: noqa: S608 - table and column names come from model metadata; values are parameters.
"""The demo's fast path into the ledger: the rows `ledger.recording.record` would write.

`record` costs a few queries per event (lock the chain head, load and lock the lots, sync the
step's edges), which is right for live capture and far too slow for a million generated lots.
Here the lot projection, the step flows and the chain head live in memory: each event is
applied by the same declaration of its kind (ledger.kinds, through
`ledger.effects.lot_effect_apply`), keeps the same record of its change in its data
(`ledger.effects.change_record`), is described with the same derived fields (line and shift
from the work order, responsible from the step), hashed with the same `chain.event_hash`,
and written in one transaction every few days of history: with COPY on PostgreSQL, with
executemany on SQLite. The guards are not run: the generator only asks for what they allow (released, unexpired lots on the bill of materials), and the tests replay the
ledger to check the projection and the edges.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from tracelot.core.chainkeys import ChainKey, keyring
from tracelot.core.sql import rows_insert
from tracelot.edges.models import Edge
from tracelot.ledger.chain import GENESIS, HASHED_FIELDS
from tracelot.ledger.effects import change_record, lot_effect_apply
from tracelot.ledger.kinds import KINDS, Role
from tracelot.ledger.models import ChainHead, Event
from tracelot.lots.models import TERMINAL, Lot
from tracelot.orders.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    WorkOrder,
    WorkOrderStep,
)

ZERO = Decimal(0)

LOT_COLUMNS = ("id", "site_id", "code", "item_id", "gtin", "batch", "supplier_id", "supplier_lot",
               "purchase_order_id", "work_order_id", "produced_on", "received_on", "expires_on",
               "status", "quantity_on_hand", "unit", "location_id", "created_at")  # fmt: skip
EVENT_COLUMNS = (*HASHED_FIELDS, "previous_hash", "hash", "seal_key")
EDGE_COLUMNS = ("site_id", "source_id", "target_id", "step_id", "quantity")


@dataclass(frozen=True)
class Actor:
    """An operator as the ledger describes it: who, in which team, on which shift."""

    id: int
    team_id: int | None
    shift_id: int | None


@dataclass(frozen=True)
class Step:
    """A work-order step as its events name it."""

    id: int
    work_order_id: int
    line_id: int
    shift_id: int | None
    responsible_id: int


@dataclass(eq=False)
class LotState:
    """A lot row as the projection holds it between flushes."""

    id: int
    code: str
    item_id: int
    gtin: str
    unit: str
    status: str
    quantity_on_hand: Decimal
    location_id: int | None
    created_at: datetime
    supplier_id: int | None = None
    supplier_lot: str = ""
    purchase_order_id: int | None = None
    work_order_id: int | None = None
    produced_on: date | None = None
    received_on: date | None = None
    expires_on: date | None = None
    waits_for_release: bool = False  # finished goods wait in quarantine for QC release


@dataclass
class StepFlows:
    """What went into and came out of one step, for its genealogy edges."""

    inputs: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    outputs: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


class FastLedger:
    """Append events for one site, keeping lots, edges and the chain head as `record` would."""

    def __init__(self, *, site_id: int) -> None:
        self.site_id = site_id
        self.position = 0
        self.previous_hash = GENESIS
        self.key = keyring().current
        self.lots: dict[int, LotState] = {}
        self.flows: dict[int, StepFlows] = {}
        self.next_ids: dict[type[models.Model], int] = {}
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = defaultdict(list)
        self.columns: dict[type[models.Model], tuple[str, ...]] = {}
        self.events: list[tuple[Any, ...]] = []
        self.edges: list[tuple[Any, ...]] = []
        self.new_lots: list[LotState] = []
        # Lots an event changed since the last flush: scanning every lot held in memory for
        # them each flush grew with the plant and was a tenth of a 1,000,000-lot build.
        self.changed: dict[int, LotState] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.lots_made = 0
        self._adapt_datetime, self._adapt_date = _adapters(connection)
        ChainHead.objects.create(site_id=site_id, position=0, hash=GENESIS)

    # -- ids and master rows ------------------------------------------------------------------

    def next_id(self, model: type[models.Model]) -> int:
        if model not in self.next_ids:
            last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
            self.next_ids[model] = (last or 0) + 1
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def add_row(self, model: type[models.Model], **values: Any) -> int:
        """Queue one order (or order line/step) row with an id of ours; return the id."""
        row_id = self.next_id(model)
        values = {"id": row_id, **values}
        self.columns.setdefault(model, tuple(values))
        adapted = []
        for value in values.values():
            if isinstance(value, datetime):
                value = self._adapt_datetime(value)
            elif isinstance(value, date):
                value = self._adapt_date(value)
            adapted.append(value)
        self.rows[model].append(tuple(adapted))
        self.counts[model._meta.model_name or ""] += 1
        return row_id

    # -- the ledger ---------------------------------------------------------------------------

    def new_lot(self, **values: Any) -> LotState:
        lot = LotState(id=self.next_id(Lot), status="", quantity_on_hand=ZERO, **values)
        self.lots[lot.id] = lot
        self.new_lots.append(lot)
        self.lots_made += 1
        return lot

    def record(
        self,
        kind: str,
        lot: LotState,
        quantity: Decimal,
        occurred_at: datetime,
        recorded_at: datetime,
        actor: Actor,
        *,
        via: str,
        step: Step | None = None,
        station: tuple[int, int | None] | None = None,
        location_id: int | None = None,
        purchase_order_id: int | None = None,
        sales_order_id: int | None = None,
        reason: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        """Apply one event to its lot and append it to the chain (effects as ledger.effects)."""
        spec = KINDS[kind]
        status_before, location_before = lot.status, lot.location_id
        self.lots.setdefault(lot.id, lot)  # a shipped lot may come back
        lot_effect_apply(spec, lot, quantity, location_id=location_id)
        if lot.quantity_on_hand < 0:
            raise ValueError(f"{lot.code}: {kind} {quantity} is more than on hand")
        self.changed[lot.id] = lot
        payload = dict(data) if data else {}
        payload.update(change_record(spec, lot, status_before, location_before))
        if step is not None and spec.role in (Role.INPUT, Role.OUTPUT):
            flows = self.flows.setdefault(step.id, StepFlows())
            side = flows.inputs if spec.role == Role.INPUT else flows.outputs
            side[lot.id] += quantity
        self.position += 1
        line_id = step.line_id if step else (station[1] if station else None)
        values = [
            self.site_id, self.position, kind, lot.id, quantity, lot.unit, None,
            occurred_at, recorded_at, location_id or lot.location_id, line_id,
            station[0] if station else None, actor.id,
            step.responsible_id if step else actor.id,
            step.shift_id if step else actor.shift_id, actor.team_id, purchase_order_id,
            step.work_order_id if step else None, step.id if step else None, sales_order_id,
            reason, via, f"demo-{self.position}", None, None, payload,
        ]  # fmt: skip
        # The data is encoded once, for the hash and as the column's text (JSON either way).
        values[-1] = _dumps(payload)
        digest = fast_event_hash(values, self.previous_hash, self.key)
        values[7] = self._adapt_datetime(occurred_at)
        values[8] = self._adapt_datetime(recorded_at)
        values.append(self.previous_hash)
        values.append(digest)
        values.append(self.key.id)
        self.previous_hash = digest
        self.events.append(tuple(values))

    def step_close(self, step_ids: Iterable[int]) -> None:
        """Write the edges of finished steps: every input → every output, by input quantity."""
        for step_id in step_ids:
            flows = self.flows.pop(step_id, None)
            if flows is None:
                continue
            produced = [lot for lot, quantity in flows.outputs.items() if quantity > 0]
            for source, quantity in flows.inputs.items():
                if quantity > 0:
                    self.edges.extend(
                        (self.site_id, source, target, step_id, quantity) for target in produced
                    )

    # -- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write what is queued in one transaction, and forget lots that can no longer change."""
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (PurchaseOrder, PurchaseOrderLine, WorkOrder, WorkOrderStep,
                          SalesOrder, SalesOrderLine):  # fmt: skip
                rows_insert(cursor, model, self.columns.get(model, ()), self.rows[model])
                self.rows[model] = []
            self._flush_lots(cursor)
            rows_insert(cursor, Event, EVENT_COLUMNS, self.events)
            rows_insert(cursor, Edge, EDGE_COLUMNS, self.edges)
            ChainHead.objects.filter(site_id=self.site_id).update(
                position=self.position, hash=self.previous_hash
            )
        self.counts["event"] += len(self.events)
        self.counts["edge"] += len(self.edges)
        self.events, self.edges = [], []
        for lot in self.changed.values():
            if lot.status in TERMINAL:
                self.lots.pop(lot.id, None)
        self.changed = {}

    def _flush_lots(self, cursor: Any) -> None:
        adapt_date, adapt_datetime = self._adapt_date, self._adapt_datetime
        rows = [
            (
                lot.id,
                self.site_id,
                lot.code,
                lot.item_id,
                lot.gtin,
                lot.code[:20],
                lot.supplier_id,
                lot.supplier_lot,
                lot.purchase_order_id,
                lot.work_order_id,
                adapt_date(lot.produced_on),
                adapt_date(lot.received_on),
                adapt_date(lot.expires_on),
                lot.status,
                lot.quantity_on_hand,
                lot.unit,
                lot.location_id,
                adapt_datetime(lot.created_at),
            )
            for lot in self.new_lots
        ]
        inserted = {lot.id for lot in self.new_lots}
        self.counts["lot"] += len(rows)
        self.new_lots = []
        rows_insert(cursor, Lot, LOT_COLUMNS, rows)
        changed = [lot for lot in self.changed.values() if lot.id not in inserted]
        if changed:
            _lots_update(cursor, changed)

    def sequences_reset(self) -> None:
        """Point PostgreSQL's id sequences past the ids the fast path chose itself."""
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def _lots_update(cursor: Any, lots: list[LotState]) -> None:
    """Write the status, on hand and location of lots already in the table."""
    table = connection.ops.quote_name(Lot._meta.db_table)
    if connection.vendor != "postgresql":
        cursor.executemany(
            f"UPDATE {table} SET status = %s, quantity_on_hand = %s, location_id = %s "
            "WHERE id = %s",
            [(lot.status, lot.quantity_on_hand, lot.location_id, lot.id) for lot in lots],
        )
        return
    # One statement over arrays instead of one UPDATE per lot (tens of thousands a flush).
    cursor.execute(
        f"UPDATE {table} AS lot SET status = new.status, "
        "quantity_on_hand = new.quantity_on_hand, location_id = new.location_id "
        "FROM unnest(%s::bigint[], %s::varchar[], %s::numeric[], %s::bigint[]) "
        "AS new (id, status, quantity_on_hand, location_id) WHERE lot.id = new.id",
        [
            [lot.id for lot in lots],
            [lot.status for lot in lots],
            [lot.quantity_on_hand for lot in lots],
            [lot.location_id for lot in lots],
        ],
    )


def fast_event_hash(values: list[Any], previous_hash: str, key: ChainKey) -> str:
    """`chain.event_hash` for a row in HASHED_FIELDS order, without the per-field dispatch.

    The only values that need canonical forms are the quantity and the two UTC datetimes;
    the data (last) comes already encoded by `_dumps`, so it is spliced in, not encoded
    again. The tests check every demo chain with `chain.chain_first_break`.
    """
    content = values[:-1]
    content[4] = format(values[4].normalize(), "f")
    content[7] = values[7].isoformat(timespec="microseconds")
    content[8] = values[8].isoformat(timespec="microseconds")
    text = f"{_dumps([previous_hash, content])[:-2]},{values[-1]}]]"
    return key.seal(text.encode())


_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _adapters(
    wrapper: BaseDatabaseWrapper,
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """Turn datetimes and dates into what the driver takes, as the model fields do."""
    if wrapper.vendor == "sqlite":
        # DateTimeField on SQLite: naive UTC text (operations.adapt_datetimefield_value).
        def adapt_datetime(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.utcoffset():
                value = value.astimezone(UTC)
            return str(value.replace(tzinfo=None))

        def adapt_date(value: date | None) -> str | None:
            return None if value is None else str(value)

        return adapt_datetime, adapt_date

    def same(value: Any) -> Any:
        return value

    return same, same


def local_midnight(day: date, tz: Any) -> datetime:
    """The instant the plant's day starts, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


ONE_SECOND = timedelta(seconds=1)
