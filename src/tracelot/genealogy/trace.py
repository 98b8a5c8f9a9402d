# ruff: noqa: S608 - table names come from model metadata; every value is a parameter.
"""The trace engine: backward and forward genealogy walks computed in the database.

One recursive query over the indexed edges finds every lot reached; UNION (not UNION ALL)
makes each lot appear once, so diamonds are exact and rework cycles terminate.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import connection

from tracelot.genealogy.models import Edge
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot


class Direction(StrEnum):
    BACKWARD = "backward"
    FORWARD = "forward"


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

    def as_json(self) -> dict[str, Any]:
        return {
            "direction": str(self.direction),
            "start": self.start,
            "lots": self.lots,
            "edges": self.edges,
            "suppliers": self.suppliers,
            "customers": self.customers,
            "shipments": self.shipments,
            "events": self.events,
        }


def _reached_cte(direction: Direction, start_count: int) -> str:
    edge = Edge._meta.db_table
    near, far = (
        ("target_id", "source_id")
        if direction == Direction.BACKWARD
        else (
            "source_id",
            "target_id",
        )
    )
    marks = ", ".join(["%s"] * start_count)
    return (
        f"WITH RECURSIVE reached(id) AS ("
        f"SELECT id FROM {Lot._meta.db_table} WHERE id IN ({marks}) "
        f"UNION SELECT e.{far} FROM {edge} e JOIN reached r ON e.{near} = r.id)"
    )


def reached_lot_ids(*, lot_ids: Sequence[int], direction: Direction) -> list[int]:
    """Ids of the start lots and every lot reached from them in `direction`."""
    with connection.cursor() as cursor:
        cursor.execute(
            _reached_cte(direction, len(lot_ids)) + " SELECT id FROM reached", list(lot_ids)
        )
        return [row[0] for row in cursor.fetchall()]


def _query(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _decimal(value: Any) -> str:
    # SQLite hands back decimals as floats or strings; the JSON carries exact text.
    return format(Decimal(str(value)).normalize(), "f")


def lot_trace(*, lot_ids: Sequence[int], direction: Direction) -> Trace:
    """Trace `lot_ids` backward (to what went in) or forward (to what came out and who got it)."""
    if not lot_ids:
        return Trace(direction=direction, start=[])
    cte = _reached_cte(direction, len(lot_ids))
    params = list(lot_ids)
    lots = _lots(cte, params)
    by_id = {row["id"]: row for row in lots}
    trace = Trace(
        direction=direction,
        start=[by_id[i]["code"] for i in lot_ids if i in by_id],
        lots=[{k: v for k, v in row.items() if k not in ("id", "supplier_id")} for row in lots],
    )
    trace.edges = _edges(cte, params, direction, by_id)
    trace.suppliers = _suppliers(lots)
    trace.events, trace.shipments = _events(cte, params, by_id)
    trace.customers = _customers(trace.shipments)
    return trace


def _lots(cte: str, params: list[Any]) -> list[dict[str, Any]]:
    from tracelot.items.models import Item

    lot, item = Lot._meta.db_table, Item._meta.db_table
    rows = _query(
        f"{cte} SELECT l.id, l.code, l.gtin, l.batch, i.code, i.name, i.name_zh, "
        f"l.quantity_on_hand, l.unit, l.status, l.supplier_id, l.supplier_lot, l.expires_on "
        f"FROM reached r JOIN {lot} l ON l.id = r.id JOIN {item} i ON i.id = l.item_id "
        f"ORDER BY l.code",
        params,
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
        }
        for r in rows
    ]


def _edges(
    cte: str, params: list[Any], direction: Direction, by_id: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    near = "target_id" if direction == Direction.BACKWARD else "source_id"
    rows = _query(
        f"{cte} SELECT e.source_id, e.target_id, SUM(e.quantity) FROM {Edge._meta.db_table} e "
        f"WHERE e.{near} IN (SELECT id FROM reached) GROUP BY e.source_id, e.target_id",
        params,
    )
    return sorted(
        (
            {"from": by_id[s]["code"], "to": by_id[t]["code"], "quantity": _decimal(q)}
            for s, t, q in rows
            if s in by_id and t in by_id
        ),
        key=lambda edge: (edge["from"], edge["to"]),
    )


def _suppliers(lots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from tracelot.partners.models import Supplier

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


_EVENT_COLUMNS = (
    "kind, ev.occurred_at, ev.quantity, ev.unit, ev.lot_id, a.name, rsp.name, ln.code, "
    "sh.code, wo.number, st.sequence, st.operation, so.number, c.code, c.name, c.gln, "
    "po.number, loc.code, ev.chain_position, ev.via, c.name_zh"
)


def _events(
    cte: str, params: list[Any], by_id: dict[int, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from tracelot.orders.models import PurchaseOrder, SalesOrder, WorkOrder, WorkOrderStep
    from tracelot.partners.models import Customer
    from tracelot.plants.models import Line, Location, Operator, Shift

    t = {
        m.__name__: m._meta.db_table
        for m in (Operator, Line, Shift, WorkOrder, WorkOrderStep, SalesOrder, Customer)
    }
    kinds = (EventKind.RECEIVE, EventKind.PRODUCE, EventKind.SHIP)
    rows = _query(
        f"{cte} SELECT {_EVENT_COLUMNS} FROM {Event._meta.db_table} ev "
        f"LEFT JOIN {t['Operator']} a ON a.id = ev.actor_id "
        f"LEFT JOIN {t['Operator']} rsp ON rsp.id = ev.responsible_id "
        f"LEFT JOIN {t['Line']} ln ON ln.id = ev.line_id "
        f"LEFT JOIN {t['Shift']} sh ON sh.id = ev.shift_id "
        f"LEFT JOIN {t['WorkOrder']} wo ON wo.id = ev.work_order_id "
        f"LEFT JOIN {t['WorkOrderStep']} st ON st.id = ev.step_id "
        f"LEFT JOIN {t['SalesOrder']} so ON so.id = ev.sales_order_id "
        f"LEFT JOIN {t['Customer']} c ON c.id = so.customer_id "
        f"LEFT JOIN {PurchaseOrder._meta.db_table} po ON po.id = ev.purchase_order_id "
        f"LEFT JOIN {Location._meta.db_table} loc ON loc.id = ev.location_id "
        f"WHERE ev.lot_id IN (SELECT id FROM reached) AND ev.kind IN (%s, %s, %s) "
        f"ORDER BY ev.occurred_at, ev.chain_position",
        [*params, *kinds],
    )
    events, shipments = [], []
    for r in rows:
        event = {
            "kind": r[0],
            "occurred_at": r[1].isoformat() if hasattr(r[1], "isoformat") else str(r[1]),
            "quantity": _decimal(r[2]),
            "unit": r[3],
            "lot": by_id[r[4]]["code"],
            "by": r[5],
            "responsible": r[6],
            "line": r[7],
            "shift": r[8],
            "work_order": r[9],
            "step": f"{r[10]} {r[11]}" if r[10] is not None else None,
            "sales_order": r[12],
            "purchase_order": r[16],
            "location": r[17],
            "chain_position": r[18],
            "via": r[19],
        }
        events.append(event)
        if r[0] == EventKind.SHIP:
            shipments.append(
                {
                    "lot": event["lot"],
                    "quantity": event["quantity"],
                    "unit": event["unit"],
                    "shipped_at": event["occurred_at"],
                    "sales_order": r[12],
                    "customer": {"code": r[13], "name": r[14], "name_zh": r[20], "gln": r[15]},
                }
            )
    return events, shipments


def _customers(shipments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    customers: dict[str, dict[str, Any]] = {}
    for shipment in shipments:
        c = shipment["customer"]
        entry = customers.setdefault(
            c["code"],
            {
                "code": c["code"],
                "name": c["name"],
                "name_zh": c["name_zh"] or None,
                "gln": c["gln"] or None,
                "lots": [],
            },
        )
        if shipment["lot"] not in entry["lots"]:
            entry["lots"].append(shipment["lot"])
    return sorted(customers.values(), key=lambda c: c["code"])
