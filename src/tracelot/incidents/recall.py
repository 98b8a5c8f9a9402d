"""A mock recall: everything made from a lot, where each of it is now, who received it, and
whether every unit is accounted for, each step timed. Nothing is held and nobody is told.

BRCGS asks for the result of a recall test within 4 hours and FSMA 204 for the records
within 24 hours; the plant keeps the timings to show how far inside those limits it is.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tracelot.core.models import name_in_language
from tracelot.core.numbers import plain
from tracelot.core.sql import values_in
from tracelot.ledger.kinds import OnHand, Role, standing
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import IN_STOCK, Lot, LotStatus
from tracelot.orders.models import OrderStatus
from tracelot.trace.engine import Direction, Trace, lot_trace

# The columns of the mass balance, in the order a report prints them.
BALANCE = ("made", "in_stock", "shipped", "consumed", "scrapped", "returned", "unaccounted")


@dataclass
class MockRecall:
    lot: str
    scope: dict[str, int] = field(default_factory=dict)
    customers: list[dict[str, Any]] = field(default_factory=list)
    mass_balance: dict[str, dict[str, str]] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "scope": self.scope,
            "customers": self.customers,
            "mass_balance": self.mass_balance,
            "timings_ms": self.timings_ms,
        }


def mock_recall(*, lot: Lot) -> MockRecall:
    """Run the recall of `lot` without holding stock or sending anything, timing each step."""
    started = time.perf_counter()
    trace = lot_trace(lot_ids=[lot.pk], direction=Direction.FORWARD)
    lot_ids = trace.lot_ids
    scope = scope_counts(trace, lot_ids=lot_ids)
    scoped = time.perf_counter()
    customers = recall_customers(trace, lot_ids=lot_ids)
    customers_done = time.perf_counter()
    balance = mass_balance(lot_ids=lot_ids)
    done = time.perf_counter()
    return MockRecall(
        lot=lot.code,
        scope=scope,
        customers=customers,
        mass_balance=balance,
        timings_ms={
            "scope": _ms(scoped - started),
            "customers": _ms(customers_done - scoped),
            "report": _ms(done - customers_done),
            "total": _ms(done - started),
        },
    )


def scope_counts(trace: Trace, *, lot_ids: list[int]) -> dict[str, int]:
    """How many lots the recall reaches, and where they are now."""
    counts = {"lots": len(trace.lots), "in_stock": 0, "in_process": 0, "on_hold": 0}
    counts.update({"shipped": 0, "consumed": 0, "scrapped": 0})
    open_orders = set(
        Lot.objects.filter(
            pk__in=values_in(lot_ids), work_order__status=OrderStatus.OPEN
        ).values_list("code", flat=True)
    )
    for row in trace.lots:
        status = row["status"]
        if status in IN_STOCK:
            counts["in_stock"] += 1
            counts["on_hold"] += status == LotStatus.ON_HOLD
            counts["in_process"] += row["code"] in open_orders
        elif status in counts:
            counts[status] += 1
    return counts


def recall_customers(trace: Trace, *, lot_ids: list[int]) -> list[dict[str, Any]]:
    """One entry per customer and unit: the lots and the quantity shipped to them from the
    scope, net of reversed shipments, with the sales orders and the first and last date."""
    reversed_shipments = _reversed_shipments(lot_ids)
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for shipment in trace.shipments:
        customer = shipment["customer"]
        key = (customer["code"], shipment["unit"])
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = {
                "code": customer["code"],
                "name": name_in_language(customer["name"], customer["name_zh"] or ""),
                "gln": customer["gln"] or None,
                "lots": [],
                "sales_orders": [],
                "quantity": Decimal(0),
                "unit": shipment["unit"],
                "first_shipped_at": shipment["shipped_at"],
                "last_shipped_at": shipment["shipped_at"],
            }
        entry["quantity"] += Decimal(shipment["quantity"])
        for name, value in (("lots", shipment["lot"]), ("sales_orders", shipment["sales_order"])):
            if value and value not in entry[name]:
                entry[name].append(value)
        entry["first_shipped_at"] = min(entry["first_shipped_at"], shipment["shipped_at"])
        entry["last_shipped_at"] = max(entry["last_shipped_at"], shipment["shipped_at"])
    for (code, unit), quantity in reversed_shipments.items():
        if (code, unit) in entries:
            entries[(code, unit)]["quantity"] -= quantity
    return [
        {**entry, "quantity": plain(entry["quantity"])}
        for _key, entry in sorted(entries.items())
        if entry["quantity"] > 0
    ]


def _reversed_shipments(lot_ids: list[int]) -> dict[tuple[str, str], Decimal]:
    reversed_: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for code, unit, quantity in Event.objects.filter(
        lot_id__in=values_in(lot_ids), kind=EventKind.REVERSAL, reverses__kind=EventKind.SHIP
    ).values_list("sales_order__customer__code", "unit", "quantity"):
        reversed_[(code, unit)] += quantity
    return reversed_


def mass_balance(*, lot_ids: list[int]) -> dict[str, dict[str, str]]:
    """Per unit: what the lots were made (or received) with, and where all of it went:
    still in stock, shipped, consumed into other lots, scrapped, returned; the rest is
    unaccounted (a count that came out short, a loss nobody recorded)."""
    totals: dict[str, dict[str, Decimal]] = {}
    for kind, reversed_kind, quantity, unit in Event.objects.filter(
        lot_id__in=values_in(lot_ids)
    ).values_list("kind", "reverses__kind", "quantity", "lot__unit"):
        spec, signed = standing(kind, reversed_kind, quantity)
        column = _column(spec.kind, spec.on_hand, spec.role)
        if column is not None:
            row = totals.setdefault(unit, dict.fromkeys(BALANCE, Decimal(0)))
            row[column] += signed
    for unit, on_hand in Lot.objects.filter(pk__in=values_in(lot_ids)).values_list(
        "unit", "quantity_on_hand"
    ):
        totals.setdefault(unit, dict.fromkeys(BALANCE, Decimal(0)))["in_stock"] += on_hand
    for row in totals.values():
        row["unaccounted"] = (
            row["made"]
            + row["returned"]
            - row["in_stock"]
            - row["shipped"]
            - row["consumed"]
            - row["scrapped"]
        )
    return {
        unit: {column: plain(value) for column, value in row.items()}
        for unit, row in sorted(totals.items())
    }


def _column(kind: str, on_hand: OnHand, role: Role) -> str | None:
    if on_hand == OnHand.CREATE:
        return "made"
    if kind == EventKind.SHIP:
        return "shipped"
    if kind == EventKind.SCRAP:
        return "scrapped"
    if kind == EventKind.RETURN:
        return "returned"
    if on_hand == OnHand.TAKE and role in (Role.INPUT, Role.LINK):
        return "consumed"
    return None


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)
