"""Printable documents (trace report, packing list) as PDF with the Chinese font embedded."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from fpdf import FPDF

from tracelot.core import clock
from tracelot.core.clock import plant_time
from tracelot.core.models import name_in_language
from tracelot.core.numbers import grouped
from tracelot.items.models import amount
from tracelot.labels.document import FONT
from tracelot.labels.document import pdf_document as _document
from tracelot.labels.document import pdf_heading as _heading
from tracelot.labels.document import pdf_table as _table
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.models import SalesOrder
from tracelot.trace.engine import Trace

TRACE_REPORT_LOTS = 2000  # beyond this the report points to the XLSX with every lot


def _name(party: dict[str, Any]) -> str:
    return name_in_language(party.get("name") or "", party.get("name_zh") or "")


def _now_text() -> str:
    return plant_time(clock.now())


def _day(timestamp: str) -> str:
    return plant_time(datetime.fromisoformat(timestamp))


def _status(value: str) -> str:
    return str(LotStatus(value).label) if value in LotStatus.values else value


def trace_report_pdf(*, trace: Trace, lot: Lot, person: str) -> bytes:
    """The trace as a recall document: which customers got which lots, on which orders and
    when; where and by which line and shift the lots were made; who supplied what."""
    backward = trace.direction == "backward"
    title = (
        gettext("Backward trace report: %(code)s")
        if backward
        else gettext("Forward trace report: %(code)s")
    ) % {"code": lot.code}
    when = _now_text()
    subtitle = gettext(
        "Item: %(item)s. Lots: %(lots)s, customers: %(customers)s, suppliers: %(suppliers)s."
    ) % {
        "item": lot.item.display_name,
        "lots": grouped(Decimal(len(trace.lots))),
        "customers": len(trace.customers),
        "suppliers": len(trace.suppliers),
    }
    subtitle += "\n" + gettext("Made %(when)s (plant time) by %(person)s with Tracelot.") % {
        "when": when,
        "person": person,
    }
    site = lot.site
    company = str(site.display_name)
    if site.gln:
        company += f"  GLN {site.gln}"
    printed = gettext("Printed %(when)s by %(person)s") % {"when": when, "person": person}
    pdf = _document(title, subtitle, company=company, printed=printed)
    lots = {row["code"]: row for row in trace.lots}
    _customers_section(pdf, trace, lots)
    _production_section(pdf, trace, lots)
    _suppliers_section(pdf, trace, lots)
    _lots_section(pdf, trace)
    return bytes(pdf.output())


def _item(row: dict[str, Any] | None) -> str:
    return name_in_language(row["item_name"], row["item_name_zh"] or "") if row else ""


def _customers_section(pdf: FPDF, trace: Trace, lots: dict[str, dict[str, Any]]) -> None:
    if not trace.shipments:
        _heading(pdf, gettext("Customers"))
        pdf.multi_cell(
            0, 5, gettext("No lot of this trace was shipped."), new_x="LMARGIN", new_y="NEXT"
        )
        return
    by_customer: dict[str, list[dict[str, Any]]] = {}
    for shipment in trace.shipments:
        by_customer.setdefault(shipment["customer"]["code"] or "", []).append(shipment)
    for shipments in by_customer.values():
        customer = shipments[0]["customer"]
        heading = gettext("Customer: %(customer)s") % {"customer": _name(customer)}
        if customer["gln"]:
            heading = gettext("%(name)s (GLN %(gln)s)") % {"name": heading, "gln": customer["gln"]}
        _heading(pdf, heading)
        _table(
            pdf,
            [
                gettext("Lot"),
                gettext("Item"),
                gettext("Quantity"),
                gettext("Shipped at"),
                gettext("Sales order"),
            ],
            [
                (
                    s["lot"],
                    _item(lots.get(s["lot"])),
                    amount(Decimal(s["quantity"]), s["unit"]),
                    _day(s["shipped_at"]),
                    s["sales_order"],
                )
                for s in shipments
            ],
            whole=(0, 2, 3, 4),
        )


def _production_section(pdf: FPDF, trace: Trace, lots: dict[str, dict[str, Any]]) -> None:
    made = [event for event in trace.events if event["kind"] == EventKind.PRODUCE]
    if not made:
        return
    _heading(pdf, gettext("Lots produced"))
    _table(
        pdf,
        [
            gettext("Lot"),
            gettext("Item"),
            gettext("Quantity"),
            gettext("Produced at"),
            gettext("Line"),
            gettext("Shift"),
            gettext("Work order"),
        ],
        [
            (
                e["lot"],
                _item(lots.get(e["lot"])),
                amount(Decimal(e["quantity"]), e["unit"]),
                _day(e["occurred_at"]),
                e["line"],
                e["shift"],
                e["work_order"],
            )
            for e in made[:TRACE_REPORT_LOTS]
        ],
        whole=(0, 2, 3, 4, 5, 6),
    )


def _suppliers_section(pdf: FPDF, trace: Trace, lots: dict[str, dict[str, Any]]) -> None:
    if not trace.suppliers:
        return
    _heading(pdf, gettext("Suppliers"))
    _table(
        pdf,
        [
            gettext("Supplier"),
            gettext("GLN"),
            gettext("Lot"),
            gettext("Item"),
            gettext("Supplier lot"),
        ],
        [
            (_name(s), s["gln"], code, _item(lots.get(code)), lots[code]["supplier_lot"])
            for s in trace.suppliers
            for code in s["lots"]
        ],
        whole=(1, 2, 4),
    )


def _lots_section(pdf: FPDF, trace: Trace) -> None:
    _heading(pdf, gettext("Lots"))
    _table(
        pdf,
        [
            gettext("Lot"),
            gettext("Item"),
            gettext("GS1 batch"),
            gettext("On hand"),
            gettext("Status"),
            gettext("Expires on"),
        ],
        [
            (
                row["code"],
                _item(row),
                row["lot"],
                amount(Decimal(row["quantity"]), row["unit"]),
                _status(row["status"]),
                row["expires_on"],
            )
            for row in trace.lots[:TRACE_REPORT_LOTS]
        ],
        whole=(0, 2, 3, 4, 5),
    )
    if len(trace.lots) > TRACE_REPORT_LOTS:
        pdf.multi_cell(
            0,
            5,
            gettext("%(more)s more lots are in the XLSX export of this trace.")
            % {"more": len(trace.lots) - TRACE_REPORT_LOTS},
            new_x="LMARGIN",
            new_y="NEXT",
        )


def packing_list_pdf(*, sales_order: SalesOrder, lines: Sequence[Event]) -> bytes:
    """What left on a sales order: lot by lot, with GS1 identity, for the customer."""
    customer = sales_order.customer
    title = gettext("Packing list %(number)s") % {"number": sales_order.number}
    when = _now_text()
    subtitle = gettext("Customer: %(customer)s (GLN %(gln)s). Printed %(when)s.") % {
        "customer": customer.display_name,
        "gln": customer.gln or "—",
        "when": when,
    }
    site = sales_order.site
    company = str(site.display_name) + (f"  GLN {site.gln}" if site.gln else "")
    pdf = _document(title, subtitle, company=company, printed=when)
    _table(
        pdf,
        [
            gettext("Lot"),
            gettext("Item"),
            gettext("GTIN"),
            gettext("GS1 batch"),
            gettext("Expires on"),
            gettext("Quantity"),
        ],
        [
            (
                line.lot.code,
                line.lot.item.display_name,
                line.lot.gtin,
                line.lot.batch,
                line.lot.expires_on.isoformat() if line.lot.expires_on else "",
                amount(line.quantity, line.unit),
            )
            for line in lines
        ],
        whole=(0, 2, 3, 4),
    )
    pdf.ln(10)
    pdf.set_font(FONT, size=10)
    pdf.cell(90, 6, gettext("Shipped by: ____________________"))
    pdf.cell(0, 6, gettext("Received by: ____________________"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
