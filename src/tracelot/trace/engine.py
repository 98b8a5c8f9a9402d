# ruff: noqa: S608 - table names come from model metadata; every value is a parameter.
"""The trace engine: backward and forward genealogy walks computed in the database.

One recursive query over the indexed edges finds every lot reached; UNION (not UNION ALL)
makes each lot appear once, so diamonds are exact and rework cycles terminate. The rows
around those lots (lots, edges, events) are then read in one query each, joined from the
list of reached ids, so the walk runs once per trace.
"""

import gc
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext

from tracelot.core.models import name_in_language
from tracelot.core.sql import among
from tracelot.edges.models import Edge
from tracelot.items.models import Item, unit_symbol
from tracelot.ledger.kinds import Role, kinds_where, standing
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.orders.models import PurchaseOrder, SalesOrder, WorkOrder, WorkOrderStep
from tracelot.partners.models import Customer, Supplier
from tracelot.plants.models import Line, Location, Operator, Shift

# The events a trace lists for each lot: where it came from and where it went.
TRACED_KINDS = kinds_where(lambda spec: spec.traced)
TO_CUSTOMER_KINDS = frozenset(kinds_where(lambda spec: spec.to_customer))
OUTPUT_KINDS = kinds_where(lambda spec: spec.role == Role.OUTPUT)


class Direction(StrEnum):
    BACKWARD = "backward"
    FORWARD = "forward"

    @classmethod
    def parse(cls, value: str | None) -> "Direction":
        """The direction a page or command asks for; backward when it names none we know."""
        return cls(value) if value is not None and value in cls._value2member_map_ else cls.BACKWARD


@dataclass
class Trace:
    direction: Direction
    start: list[str]
    lots: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    suppliers: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)
    shipments: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    # The ids of `lots`, for callers that query them further (not part of the JSON).
    lot_ids: list[int] = field(default_factory=list)

    def without_customers(self) -> None:
        """Keep that lots were shipped, not to whom: for readers who may not see customers."""
        unnamed = {"code": "", "name": gettext("a customer"), "name_zh": "", "gln": ""}
        self.customers = []
        self.shipments = [{**shipment, "customer": unnamed} for shipment in self.shipments]

    def as_json(self) -> dict[str, Any]:
        """The trace for tools and the lot page's graph. `item_display_name`, `display_name`
        and `unit_symbol` are in the active language (the reader's, in a request); an edge's
        quantities are in the unit of its input lot."""
        return {
            "direction": str(self.direction),
            "start": self.start,
            "lots": [
                {
                    **lot,
                    "item_display_name": name_in_language(lot["item_name"], lot["item_name_zh"]),
                    "unit_symbol": unit_symbol(lot["unit"]),
                }
                for lot in self.lots
            ],
            "edges": self.edges,
            "suppliers": with_display_names(self.suppliers),
            "customers": with_display_names(self.customers),
            "shipments": [
                {**shipment, "unit_symbol": unit_symbol(shipment["unit"])}
                for shipment in self.shipments
            ],
            "events": self.events,
        }


def with_display_names(partners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**partner, "display_name": name_in_language(partner["name"], partner["name_zh"])}
        for partner in partners
    ]


def _columns(direction: Direction) -> tuple[str, str]:
    """(the column a walk arrives on, the column it leaves by) in the edge table."""
    if direction == Direction.BACKWARD:
        return "target_id", "source_id"
    return "source_id", "target_id"


def reached_lot_ids(*, lot_ids: Sequence[int], direction: Direction) -> list[int]:
    """Ids of the start lots and every lot reached from them in `direction`."""
    near, far = _columns(direction)
    marks = ", ".join(["%s"] * len(lot_ids))
    sql = (
        f"WITH RECURSIVE reached(id) AS ("
        f"SELECT id FROM {Lot._meta.db_table} WHERE id IN ({marks}) "
        f"UNION SELECT e.{far} FROM {Edge._meta.db_table} e JOIN reached r ON e.{near} = r.id) "
        f"SELECT id FROM reached"
    )
    return [row[0] for row in _query(sql, list(lot_ids))]


def _query(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _as_text(column: str) -> str:
    # SQLite would parse every date into a Python object only for us to print it again.
    return f"CAST({column} AS TEXT)" if connection.vendor == "sqlite" else column


def _utc_text(column: str) -> str:
    """A timestamp column as UTC text: Django's own loader of PostgreSQL timestamps is pure
    Python and was a third of a wide trace (measured); the text is printed in `_timestamp`."""
    if connection.vendor == "postgresql":
        return f"CAST({column} AT TIME ZONE 'UTC' AS TEXT)"
    return f"CAST({column} AS TEXT)"


def _quantity_text(expression: str) -> str:
    """A numeric as the exact text `_decimal` prints (2947.2, 48), computed by PostgreSQL."""
    if connection.vendor == "postgresql":
        return f"CAST(trim_scale({expression}) AS TEXT)"
    return expression


def _decimal(value: Any) -> str:
    """Exact decimal text: SQLite hands back int or float, PostgreSQL text or a Decimal."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    return format(Decimal(value).normalize(), "f")


def _timestamp(value: Any) -> str:
    """ISO 8601 in UTC, as datetime.isoformat() prints it."""
    if isinstance(value, str):  # "YYYY-MM-DD HH:MM:SS[.f]" in UTC, from either database
        text = value.replace(" ", "T", 1)
        if "." in text:  # PostgreSQL trims trailing zeros of the fraction; isoformat keeps six
            whole, fraction = text.split(".", 1)
            text = f"{whole}.{fraction:0<6}"
        return text + "+00:00"
    return str(value.isoformat())


@contextmanager
def _without_gc_pauses() -> Iterator[None]:
    # A wide trace allocates tens of thousands of small dicts and no reference cycles; the
    # collector's passes over them cost a fifth of a 10,000-lot trace (measured), for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lot_trace(
    *, lot_ids: Sequence[int], direction: Direction, site_ids: Collection[int] | None = None
) -> Trace:
    """Trace `lot_ids` backward (to what went in) or forward (to what came out and who got it).

    With `site_ids`, the answer holds only the lots of those sites (a user's door, see
    trace.selectors) and what their events say; None answers with every lot reached.
    """
    if not lot_ids:
        return Trace(direction=direction, start=[])
    with _without_gc_pauses():
        return _trace(lot_ids, direction, site_ids)


WIDE = 1000  # reached lots from which the reads are planned for their size (_wide_reads)


@contextmanager
def _wide_reads(reached: int) -> Iterator[None]:
    """On PostgreSQL, a wide trace's reads in one transaction without JIT and parallel workers.

    Each read is an index read of up to tens of thousands of rows. Measured at 1,000,000
    lots, starting two parallel workers took 40 ms for a 2 ms lookup, and compiling a query
    10 ms: more than the reads themselves. SET LOCAL ends with the transaction. A narrow
    trace plans neither and is not worth the transaction's round trips; SQLite's
    transactions take the write lock up front, which a read must not hold.
    """
    if connection.vendor != "postgresql" or reached < WIDE:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def _trace(lot_ids: Sequence[int], direction: Direction, site_ids: Collection[int] | None) -> Trace:
    reached = reached_lot_ids(lot_ids=lot_ids, direction=direction)
    with _wide_reads(len(reached)):
        return _around(lot_ids, reached, direction, site_ids)


def _around(
    lot_ids: Sequence[int],
    reached: list[int],
    direction: Direction,
    site_ids: Collection[int] | None,
) -> Trace:
    """The trace of `reached`: its lots, edges, suppliers, events and customers."""
    lots = _lots(reached)
    if site_ids is not None:
        lots = [row for row in lots if row["site_id"] in site_ids]
        reached = [row["id"] for row in lots]
    codes = {row["id"]: row["code"] for row in lots}
    trace = Trace(
        direction=direction, start=[codes[i] for i in lot_ids if i in codes], lot_ids=reached
    )
    trace.edges = _edges(reached, direction, codes)
    trace.suppliers = _suppliers(lots)
    trace.events, trace.shipments = _events(reached, codes)
    trace.customers = _customers(trace.shipments)
    for row in lots:
        del row["id"], row["supplier_id"], row["site_id"]
    trace.lots = lots
    return trace


def _lots(reached: list[int]) -> list[dict[str, Any]]:
    among_reached, param = among(reached)
    rows = _query(
        f"SELECT l.id, l.code, l.gtin, l.batch, i.code, i.name, i.name_zh, "
        f"{_quantity_text('l.quantity_on_hand')}, l.unit, l.status, l.supplier_id, l.supplier_lot, "
        f"{_as_text('l.expires_on')}, l.site_id "
        f"FROM {Lot._meta.db_table} l JOIN {Item._meta.db_table} i ON i.id = l.item_id "
        f"WHERE l.id {among_reached} ORDER BY l.code",
        [param],
    )
    return [
        {
            "id": r[0],
            "code": r[1],
            "gtin": r[2] or None,
            "lot": r[3],
            "item": r[4],
            "item_name": r[5],
            "item_name_zh": r[6] or None,
            "quantity": _decimal(r[7]),
            "unit": r[8],
            "status": r[9],
            "supplier_id": r[10],
            "supplier_lot": r[11] or None,
            "expires_on": str(r[12]) if r[12] else None,
            "site_id": r[13],
        }
        for r in rows
    ]


def _edges(reached: list[int], direction: Direction, codes: dict[int, str]) -> list[dict[str, Any]]:
    """The links between reached lots. `quantity` is what the input lot gave its step (the
    same on every output lot of the step); `in_lot` is the part of it in this output lot,
    by the lot's share of what the step made, so adding `in_lot` never counts an input
    twice when a step made several lots."""
    near, _far = _columns(direction)
    among_reached, param = among(reached)
    rows = _query(
        f"SELECT e.source_id, e.target_id, e.step_id, {_quantity_text('SUM(e.quantity)')} "
        f"FROM {Edge._meta.db_table} e WHERE e.{near} {among_reached} "
        f"GROUP BY e.source_id, e.target_id, e.step_id",
        [param],
    )
    rows = [row for row in rows if row[0] in codes and row[1] in codes]
    shares = _output_shares({row[2] for row in rows} - {None})
    # Floats for the shares: a wide trace has tens of thousands of links, and Decimal
    # arithmetic on each was a third of its time (measured). `in_lot` is rounded to the
    # ledger's 4 decimals, well inside a float's 15 digits; `quantity` stays exact.
    links: dict[tuple[int, int], list[Any]] = {}
    for source, target, step_id, quantity in rows:
        share = 1.0 if step_id is None else shares.get((step_id, target), 0.0)
        link = links.get((source, target))
        if link is None:
            # in_lot None: all of it (the step made this one lot), printed as the quantity
            links[(source, target)] = [quantity, None if share == 1.0 else float(quantity) * share]
        else:  # one input into the same output lot through two steps: rare, added exactly
            whole = float(link[0]) if link[1] is None else link[1]
            link[0] = Decimal(_decimal(link[0])) + Decimal(_decimal(quantity))
            link[1] = whole + float(quantity) * share
    edges = []
    for (source, target), (given, in_lot) in links.items():
        given_text = _decimal(given)
        edges.append(
            {
                "from": codes[source],
                "to": codes[target],
                "quantity": given_text,
                "in_lot": given_text if in_lot is None else _decimal(round(in_lot, 4)),
            }
        )
    edges.sort(key=lambda edge: (edge["from"], edge["to"]))
    return edges


def _output_shares(step_ids: set[int]) -> dict[tuple[int, int], float]:
    """(step, lot) → the lot's part of everything the step made, net of reversed output."""
    if not step_ids:
        return {}
    among_steps, param = among(sorted(step_ids))
    kinds = [*OUTPUT_KINDS, EventKind.REVERSAL]
    marks = ", ".join(["%s"] * len(kinds))
    made: dict[tuple[int, int], float] = {}
    for step_id, lot_id, kind, reversed_kind, quantity in _query(
        f"SELECT ev.step_id, ev.lot_id, ev.kind, r.kind, ev.quantity "
        f"FROM {Event._meta.db_table} ev LEFT JOIN {Event._meta.db_table} r "
        f"ON r.id = ev.reverses_id WHERE ev.step_id {among_steps} AND ev.kind IN ({marks})",
        [param, *kinds],
    ):
        spec, signed = standing(kind, reversed_kind, float(quantity))
        if spec.role == Role.OUTPUT:
            made[(step_id, lot_id)] = made.get((step_id, lot_id), 0.0) + signed
    totals: dict[int, float] = {}
    for (step_id, _lot), quantity in made.items():
        totals[step_id] = totals.get(step_id, 0.0) + quantity
    return {
        link: quantity / totals[link[0]]
        for link, quantity in made.items()
        if totals[link[0]] > 0 and quantity > 0
    }


def _suppliers(lots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lots_by_supplier: dict[int, list[str]] = {}
    for row in lots:
        if row["supplier_id"] is not None:
            lots_by_supplier.setdefault(row["supplier_id"], []).append(row["code"])
    suppliers = Supplier.objects.filter(pk__in=lots_by_supplier).order_by("code")
    return [
        {
            "code": s.code,
            "name": s.name,
            "name_zh": s.name_zh or None,
            "gln": s.gln or None,
            "lots": lots_by_supplier[s.pk],
        }
        for s in suppliers
    ]


_WIDTH = 5  # value columns of the widest lookup (a sales order with its customer)


def _lookups(
    requests: dict[str, tuple[str, list[str], set[int]]],
) -> dict[str, dict[int, list[Any]]]:
    """For each tag: id → column values, for the ids the events point at, in one query.

    One UNION ALL round trip instead of one query per table: on small traces the round
    trips, not the rows, were most of the time (measured). Values come back as text.
    """
    branches, params = [], []
    for tag, (source, columns, ids) in requests.items():
        if not ids:
            continue
        among_ids, param = among(sorted(ids))
        padded = [f"CAST({column} AS TEXT)" for column in columns]
        padded += ["NULL"] * (_WIDTH - len(columns))
        branches.append(
            f"SELECT '{tag}', t.id, {', '.join(padded)} FROM {source} WHERE t.id {among_ids}"
        )
        params.append(param)
    found: dict[str, dict[int, list[Any]]] = {tag: {} for tag in requests}
    if branches:
        for tag, pk, *values in _query(" UNION ALL ".join(branches), params):
            found[tag][pk] = values
    return found


_NONE: list[Any] = [None] * 4


def _single(table: dict[int, list[Any]]) -> dict[int, Any]:
    return {key: values[0] for key, values in table.items()}


def _code_lookup(table: str, column: str, ids: set[int]) -> tuple[str, list[str], set[int]]:
    return f"{table} t", [f"t.{column}"], ids


def _events(
    reached: list[int], codes: dict[int, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    # The events alone, then each table they point at once by id: a join per event row to
    # ten tables cost more than all the lookups together (measured on a 10,000-lot trace).
    among_reached, param = among(reached)
    kinds = ", ".join(["%s"] * len(TRACED_KINDS))
    rows = _query(
        f"SELECT ev.kind, {_utc_text('ev.occurred_at')}, {_quantity_text('ev.quantity')}, "
        f"ev.unit, ev.lot_id, ev.actor_id, ev.responsible_id, ev.line_id, ev.shift_id, "
        f"ev.work_order_id, ev.step_id, ev.sales_order_id, ev.purchase_order_id, "
        f"ev.location_id, ev.chain_position, ev.via FROM {Event._meta.db_table} ev "
        f"WHERE ev.lot_id {among_reached} AND ev.kind IN ({kinds}) "
        f"ORDER BY ev.occurred_at, ev.chain_position",
        [param, *TRACED_KINDS],
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 16
    used = [set(column) - {None} if 5 <= n <= 13 else set() for n, column in enumerate(columns)]
    t = _lookups(
        {
            "operator": _code_lookup(Operator._meta.db_table, "name", used[5] | used[6]),
            "line": _code_lookup(Line._meta.db_table, "code", used[7]),
            "shift": _code_lookup(Shift._meta.db_table, "code", used[8]),
            "work_order": _code_lookup(WorkOrder._meta.db_table, "number", used[9]),
            "step": (
                f"{WorkOrderStep._meta.db_table} t",
                ["t.sequence", "t.operation"],
                used[10],
            ),
            "sales_order": (
                f"{SalesOrder._meta.db_table} t "
                f"JOIN {Customer._meta.db_table} c ON c.id = t.customer_id",
                ["t.number", "c.code", "c.name", "c.name_zh", "c.gln"],
                used[11],
            ),
            "purchase_order": _code_lookup(PurchaseOrder._meta.db_table, "number", used[12]),
            "location": _code_lookup(Location._meta.db_table, "code", used[13]),
        }
    )
    operators, lines, shifts = _single(t["operator"]), _single(t["line"]), _single(t["shift"])
    work_orders, locations = _single(t["work_order"]), _single(t["location"])
    purchase_orders, steps, sales_orders = _single(t["purchase_order"]), t["step"], t["sales_order"]
    step_labels = {pk: f"{sequence} {operation}" for pk, (sequence, operation, *_) in steps.items()}
    order_numbers = {pk: values[0] for pk, values in sales_orders.items()}
    events, shipments = [], []
    # Unpacked once per row and looked up in plain dicts: this loop is most of a wide trace's
    # Python time (tens of thousands of events).
    for (
        kind, at, quantity, unit, lot_id, actor_id, responsible_id, line_id, shift_id,
        work_order_id, step_id, sales_order_id, purchase_order_id, location_id, position, via,
    ) in rows:  # fmt: skip
        event = {
            "kind": kind,
            "occurred_at": _timestamp(at),
            "quantity": _decimal(quantity),
            "unit": unit,
            "lot": codes[lot_id],
            "by": operators.get(actor_id),
            "responsible": operators.get(responsible_id),
            "line": lines.get(line_id),
            "shift": shifts.get(shift_id),
            "work_order": work_orders.get(work_order_id),
            "step": step_labels.get(step_id),
            "sales_order": order_numbers.get(sales_order_id),
            "purchase_order": purchase_orders.get(purchase_order_id),
            "location": locations.get(location_id),
            "chain_position": position,
            "via": via,
        }
        events.append(event)
        if kind in TO_CUSTOMER_KINDS:
            sales_order = sales_orders.get(sales_order_id)
            code, name, name_zh, gln = sales_order[1:5] if sales_order else _NONE
            shipments.append(
                {
                    "lot": event["lot"],
                    "quantity": event["quantity"],
                    "unit": unit,
                    "shipped_at": event["occurred_at"],
                    "sales_order": event["sales_order"],
                    "customer": {"code": code, "name": name, "name_zh": name_zh, "gln": gln},
                }
            )
    return events, shipments


def _customers(shipments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    customers: dict[str, dict[str, Any]] = {}
    lots_seen: dict[str, set[str]] = {}
    for shipment in shipments:
        c = shipment["customer"]
        entry = customers.get(c["code"])
        if entry is None:
            entry = customers[c["code"]] = {
                "code": c["code"],
                "name": c["name"],
                "name_zh": c["name_zh"] or None,
                "gln": c["gln"] or None,
                "lots": [],
            }
            lots_seen[c["code"]] = set()
        if shipment["lot"] not in lots_seen[c["code"]]:
            lots_seen[c["code"]].add(shipment["lot"])
            entry["lots"].append(shipment["lot"])
    return sorted(customers.values(), key=lambda c: c["code"])
