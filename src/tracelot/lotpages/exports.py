"""Lot lists and traces as CSV and XLSX files, with headers in the user's language."""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext

from tracelot.core.exports import Sheet
from tracelot.core.models import name_in_language
from tracelot.items.models import unit_symbol
from tracelot.ledger.models import EventKind
from tracelot.lots.models import Lot, LotStatus
from tracelot.trace.engine import Trace

EXPORT_LIMIT = 100_000  # rows; a bigger export is a job for `tracelot lots --format json`


def _lot_headers() -> list[str]:
    return [
        gettext("Lot"),
        gettext("Item"),
        gettext("GTIN"),
        gettext("GS1 batch"),
        gettext("Status"),
        gettext("On hand"),
        gettext("Unit"),
        gettext("Supplier"),
        gettext("Supplier lot"),
        gettext("Work order"),
        gettext("Produced on"),
        gettext("Received on"),
        gettext("Expires on"),
    ]


def _lot_rows(lots: QuerySet[Lot]) -> Iterator[list[Any]]:
    for lot in lots[:EXPORT_LIMIT].iterator(chunk_size=2000):
        yield [
            lot.code,
            lot.item.code,
            lot.gtin,
            lot.batch,
            lot.get_status_display(),
            lot.quantity_on_hand,
            lot.unit,
            lot.supplier.code if lot.supplier else "",
            lot.supplier_lot,
            lot.work_order.number if lot.work_order else "",
            lot.produced_on,
            lot.received_on,
            lot.expires_on,
        ]


def lot_table(lots: QuerySet[Lot]) -> tuple[list[str], Iterator[list[Any]]]:
    """The lots as a table to export: headers in the user's language, then one row each."""
    return _lot_headers(), _lot_rows(lots)


def _label(choices: type[TextChoices], value: str) -> str:
    """A stored choice as the reader's language names it (an unknown one as stored)."""
    return str(choices(value).label) if value in choices.values else value


def trace_sheets(trace: Trace) -> list[Sheet]:
    """The trace on four sheets: lots, links, shipments, events; quantities as numbers,
    times as Excel dates in plant time, names and statuses in the reader's language."""
    return [
        (
            gettext("Lots"),
            [
                gettext("Lot"),
                gettext("Item"),
                gettext("GTIN"),
                gettext("GS1 batch"),
                gettext("On hand"),
                gettext("Unit"),
                gettext("Status"),
                gettext("Supplier lot"),
            ],
            (
                [
                    lot["code"],
                    name_in_language(lot["item_name"], lot["item_name_zh"] or ""),
                    lot["gtin"],
                    lot["lot"],
                    Decimal(lot["quantity"]),
                    unit_symbol(lot["unit"]),
                    _label(LotStatus, lot["status"]),
                    lot["supplier_lot"],
                ]
                for lot in trace.lots
            ),
        ),
        (
            gettext("Links"),
            [
                gettext("Input lot"),
                gettext("Output lot"),
                gettext("Input into the step"),
                gettext("Of it in the output lot"),
            ],
            (
                [e["from"], e["to"], Decimal(e["quantity"]), Decimal(e["in_lot"])]
                for e in trace.edges
            ),
        ),
        (
            gettext("Shipments"),
            [
                gettext("Lot"),
                gettext("Quantity"),
                gettext("Unit"),
                gettext("Shipped at"),
                gettext("Sales order"),
                gettext("Customer"),
                gettext("GLN"),
            ],
            (
                [
                    s["lot"],
                    Decimal(s["quantity"]),
                    unit_symbol(s["unit"]),
                    datetime.fromisoformat(s["shipped_at"]),
                    s["sales_order"],
                    name_in_language(s["customer"]["name"] or "", s["customer"]["name_zh"] or ""),
                    s["customer"]["gln"],
                ]
                for s in trace.shipments
            ),
        ),
        (
            gettext("Events"),
            [
                gettext("Kind"),
                gettext("Occurred at"),
                gettext("Lot"),
                gettext("Quantity"),
                gettext("Done by"),
                gettext("Responsible"),
                gettext("Line"),
                gettext("Shift"),
                gettext("Work order"),
                gettext("Step"),
            ],
            (
                [
                    _label(EventKind, e["kind"]),
                    datetime.fromisoformat(e["occurred_at"]),
                    e["lot"],
                    Decimal(e["quantity"]),
                    e["by"],
                    e["responsible"],
                    e["line"],
                    e["shift"],
                    e["work_order"],
                    e["step"],
                ]
                for e in trace.events
            ),
        ),
    ]
