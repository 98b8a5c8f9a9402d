"""Lot lists and traces as CSV and XLSX files, with headers in the user's language."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from openpyxl import Workbook

from tracelot.lots.models import Lot
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


class _Echo:
    def write(self, value: str) -> str:
        return value


def lots_csv(lots: QuerySet[Lot]) -> Iterator[str]:
    """CSV lines (UTF-8 with a BOM so Excel reads the Chinese right), streamed."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_lot_headers())
    for row in _lot_rows(lots):
        yield writer.writerow(["" if value is None else value for value in row])


def _workbook_bytes(sheets: Iterable[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lots_xlsx(lots: QuerySet[Lot]) -> bytes:
    return _workbook_bytes([(gettext("Lots"), _lot_headers(), _lot_rows(lots))])


def trace_xlsx(trace: Trace) -> bytes:
    """The trace on four sheets: lots, links, shipments, events."""
    return _workbook_bytes(
        [
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
                        lot["item"],
                        lot["gtin"],
                        lot["lot"],
                        lot["quantity"],
                        lot["unit"],
                        lot["status"],
                        lot["supplier_lot"],
                    ]
                    for lot in trace.lots
                ),
            ),
            (
                gettext("Links"),
                [gettext("Input lot"), gettext("Output lot"), gettext("Quantity")],
                ([e["from"], e["to"], e["quantity"]] for e in trace.edges),
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
                        s["quantity"],
                        s["unit"],
                        s["shipped_at"],
                        s["sales_order"],
                        s["customer"]["name"],
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
                        e["kind"],
                        e["occurred_at"],
                        e["lot"],
                        e["quantity"],
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
    )
