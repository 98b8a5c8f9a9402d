"""The suspect scope of a quality problem: back from the lots in question to the materials
they were made from, then forward from those to every lot made from them, each with where
it is now, and the customers who received any of it."""

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from tracelot.core.models import name_in_language
from tracelot.core.sql import value_table, values_in
from tracelot.edges.models import Edge
from tracelot.incidents.recall import recall_customers
from tracelot.lots.models import Lot
from tracelot.trace.engine import Direction, lot_trace, reached_lot_ids


@dataclass
class Scope:
    start: list[str]
    materials: list[str] = field(default_factory=list)  # the received lots it goes back to
    lots: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)
    lot_ids: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "materials": self.materials,
            "lots": self.lots,
            "customers": self.customers,
        }


def suspect_scope(
    *, lot_ids: Collection[int], excluded: Collection[int] = (), added: Collection[int] = ()
) -> Scope:
    """The scope of the lots in question. `added` lots (a sibling material lot the quality
    manager also suspects) are traced forward too; `excluded` lots are left out, with
    everything reached only through them."""
    back = reached_lot_ids(lot_ids=list(lot_ids), direction=Direction.BACKWARD)
    materials = list(
        Lot.objects.filter(pk__in=values_in(back), received_on__isnull=False)
        .exclude(pk__in=list(excluded))
        .values_list("pk", flat=True)
    )
    starts = sorted((set(materials) | set(lot_ids) | set(added)) - set(excluded))
    trace = lot_trace(lot_ids=starts, direction=Direction.FORWARD)
    forward = _forward_without(starts, excluded) if excluded else trace.lot_ids
    shipped_to: dict[str, list[str]] = {}
    for shipment in trace.shipments:
        named = shipment["customer"]
        customer = name_in_language(named["name"] or named["code"], named["name_zh"] or "")
        shipped_to.setdefault(shipment["lot"], [])
        if customer not in shipped_to[shipment["lot"]]:
            shipped_to[shipment["lot"]].append(customer)
    locations = {
        code: name_in_language(name, name_zh or "")
        for code, name, name_zh in Lot.objects.filter(
            pk__in=values_in(forward), location__isnull=False
        ).values_list("code", "location__name", "location__name_zh")
    }
    kept = set(Lot.objects.filter(pk__in=values_in(forward)).values_list("code", flat=True))
    trace.shipments = [s for s in trace.shipments if s["lot"] in kept]
    codes = dict(Lot.objects.filter(pk__in=values_in(starts)).values_list("pk", "code"))
    return Scope(
        start=[codes[pk] for pk in lot_ids if pk in codes],
        materials=sorted(codes[pk] for pk in materials if pk in codes),
        lots=[
            {
                "code": row["code"],
                "item": row["item"],
                "item_name": name_in_language(row["item_name"], row["item_name_zh"] or ""),
                "status": row["status"],
                "quantity": row["quantity"],
                "unit": row["unit"],
                "location": locations.get(row["code"]),
                "shipped_to": shipped_to.get(row["code"], []),
            }
            for row in trace.lots
            if row["code"] in kept
        ],
        customers=recall_customers(trace, lot_ids=forward),
        lot_ids=forward,
    )


def _forward_without(starts: list[int], excluded: Collection[int]) -> list[int]:
    """The lots reached forward from `starts` without passing through an excluded lot: what
    only an excluded lot led to is out of the scope with it."""
    starts_table, starts_param = value_table(starts)
    out_table, out_param = value_table(list(excluded))
    edges = Edge._meta.db_table
    sql = (
        f"WITH RECURSIVE reached(id) AS (SELECT v.id FROM {starts_table} AS v "  # noqa: S608
        f"UNION SELECT e.target_id FROM {edges} e JOIN reached r ON e.source_id = r.id "
        f"WHERE e.target_id NOT IN (SELECT x.id FROM {out_table} AS x)) SELECT id FROM reached"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [starts_param, out_param])
        return [row[0] for row in cursor.fetchall()]
