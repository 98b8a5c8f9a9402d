"""Printable documents (trace report, packing list) as PDF with the Chinese font embedded."""

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from fpdf import FPDF
from fpdf.fonts import FontFace

from tracelot.core.numbers import plain
from tracelot.items.models import unit_symbol
from tracelot.labels.fonts import cjk_font
from tracelot.ledger.models import Event
from tracelot.orders.models import SalesOrder
from tracelot.trace.engine import Trace

FONT = "cjk"
TRACE_REPORT_LOTS = 2000  # beyond this the report points to the XLSX with every lot


def _document(title: str, subtitle: str) -> FPDF:
    font = cjk_font()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FONT, "", font.path, collection_font_number=font.index)
    pdf.set_title(title)
    pdf.set_creator("Tracelot")
    pdf.add_page()
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, size=12)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)


def _table(pdf: FPDF, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    pdf.set_font(FONT, size=8)
    with pdf.table(
        headings_style=FontFace(emphasis=None, fill_color=(232, 240, 251)),
        line_height=4.5,
        text_align="LEFT",
    ) as table:
        table.row([str(h) for h in headers])
        for row in rows:
            table.row(["" if value is None else str(value) for value in row])


def _both(party: dict[str, Any]) -> str:
    return f"{party['name']} {party.get('name_zh') or ''}".strip()


def _now_text() -> str:
    return date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")


def trace_report_pdf(*, trace: Trace, lot_code: str, user_name: str) -> bytes:
    """The trace as an auditor or customer reads it: who supplied, what was made, who got it."""
    backward = trace.direction == "backward"
    title = (
        gettext("Backward trace report: %(code)s")
        if backward
        else gettext("Forward trace report: %(code)s")
    ) % {"code": lot_code}
    subtitle = gettext(
        "%(lots)s lots, %(edges)s links, %(customers)s customers. Made %(when)s by %(user)s "
        "with Tracelot."
    ) % {
        "lots": len(trace.lots),
        "edges": len(trace.edges),
        "customers": len(trace.customers),
        "when": _now_text(),
        "user": user_name,
    }
    pdf = _document(title, subtitle)
    if trace.suppliers:
        _heading(pdf, gettext("Suppliers"))
        _table(
            pdf,
            [gettext("Supplier"), gettext("GLN"), gettext("Lots")],
            [(_both(s), s["gln"], ", ".join(s["lots"])) for s in trace.suppliers],
        )
    if trace.customers:
        _heading(pdf, gettext("Customers"))
        _table(
            pdf,
            [gettext("Customer"), gettext("GLN"), gettext("Lots")],
            [(_both(c), c["gln"], len(c["lots"])) for c in trace.customers],
        )
    _heading(pdf, gettext("Lots"))
    _table(
        pdf,
        [
            gettext("Lot"),
            gettext("Item"),
            gettext("GS1 batch"),
            gettext("On hand"),
            gettext("Status"),
            gettext("Supplier lot"),
        ],
        [
            (
                lot["code"],
                lot["item"],
                lot["lot"],
                f"{lot['quantity']} {unit_symbol(lot['unit'])}",
                lot["status"],
                lot["supplier_lot"],
            )
            for lot in trace.lots[:TRACE_REPORT_LOTS]
        ],
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
    return bytes(pdf.output())


def packing_list_pdf(*, sales_order: SalesOrder, lines: Sequence[Event]) -> bytes:
    """What left on a sales order: lot by lot, with GS1 identity, for the customer."""
    customer = sales_order.customer
    title = gettext("Packing list %(number)s") % {"number": sales_order.number}
    subtitle = gettext("Customer: %(customer)s (GLN %(gln)s). Printed %(when)s.") % {
        "customer": f"{customer.name} {customer.name_zh}".strip(),
        "gln": customer.gln or "—",
        "when": _now_text(),
    }
    pdf = _document(title, subtitle)
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
                f"{line.lot.item.name} {line.lot.item.name_zh}".strip(),
                line.lot.gtin,
                line.lot.batch,
                line.lot.expires_on.isoformat() if line.lot.expires_on else "",
                f"{plain(line.quantity)} {unit_symbol(line.unit)}",
            )
            for line in lines
        ],
    )
    pdf.ln(10)
    pdf.set_font(FONT, size=10)
    pdf.cell(90, 6, gettext("Shipped by: ____________________"))
    pdf.cell(0, 6, gettext("Received by: ____________________"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
