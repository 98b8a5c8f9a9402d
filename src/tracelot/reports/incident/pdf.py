"""The incident report as a PDF with the Chinese font embedded, in the reader's language."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from fpdf import FPDF

from tracelot.accounts.models import Signature
from tracelot.core import clock
from tracelot.core.clock import plant_time
from tracelot.core.numbers import grouped
from tracelot.incidents.models import Incident, Recall
from tracelot.labels.document import FONT, pdf_document, pdf_heading, pdf_table
from tracelot.quality.models import Decision
from tracelot.reports.incident import tables
from tracelot.reports.incident.data import IncidentReport, incident_report
from tracelot.reports.incident.graph import graph_draw, scope_graph
from tracelot.reports.incident.tables import Table, field_label, model_title
from tracelot.reports.pdf import TRACE_REPORT_LOTS

HASH_SHOWN = 16  # hex digits of a signature's SHA-256: enough to match it with the record


def incident_report_pdf(*, incident: Incident, person: str) -> bytes:
    """The incident as a document for an audit or a customer: summary, suspect scope and
    its graph, likely causes, timeline, signed decisions, mass balance, recall, CAPA."""
    report = incident_report(incident=incident)
    when = plant_time(clock.now())
    subtitle = incident.title + "\n"
    subtitle += gettext("Made %(when)s (plant time) by %(person)s with Tracelot.") % {
        "when": when,
        "person": person,
    }
    site = incident.site
    company = str(site.display_name) + (f"  GLN {site.gln}" if site.gln else "")
    pdf = pdf_document(
        gettext("Incident report %(number)s") % {"number": incident.number},
        subtitle,
        company=company,
        printed=gettext("Printed %(when)s by %(person)s") % {"when": when, "person": person},
    )
    headers, (summary,) = tables.summary_table(report)
    _pairs(pdf, list(zip(headers, summary, strict=True)))
    _scope(pdf, report)
    _section(pdf, gettext("Likely causes"), tables.causes_table(report), whole=(1, 3, 4, 5, 6))
    _section(pdf, gettext("Timeline"), tables.timeline_table(report), whole=(0, 1, 2))
    _decisions(pdf, report)
    _section(pdf, gettext("Mass balance"), _transposed(tables.balance_table(report)), whole=(0,))
    _recall(pdf, report)
    _section(pdf, gettext("CAPA actions"), tables.actions_table(report), whole=(0, 3, 4))
    return bytes(pdf.output())


def _text(value: Any) -> str:
    """A value as the report prints it: moments in plant time, quantities grouped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return plant_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return grouped(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _pairs(pdf: FPDF, pairs: Sequence[tuple[str, Any]]) -> None:
    """Label and value lines, the empty ones left out."""
    pdf.set_font(FONT, size=9)
    for label, value in pairs:
        text = _text(value)
        if not text:
            continue
        pdf.set_text_color(90, 90, 90)
        pdf.cell(40, 5, label)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def _section(pdf: FPDF, heading: str, table: Table, *, whole: Sequence[int] = ()) -> None:
    pdf_heading(pdf, heading)
    _table(pdf, table, whole=whole)


def _table(pdf: FPDF, table: Table, *, whole: Sequence[int] = ()) -> None:
    headers, rows = table
    if not rows:
        # An audit reads "none" as an answer and a missing section as a question.
        pdf.multi_cell(0, 5, gettext("None recorded."), new_x="LMARGIN", new_y="NEXT")
        return
    pdf_table(pdf, headers, [[_text(value) for value in row] for row in rows], whole=whole)


def _transposed(table: Table) -> Table:
    """A column per unit, a line per figure: nine figures side by side do not fit A4."""
    headers, rows = table
    columns = list(zip(*rows, strict=True)) if rows else []
    units = [str(unit) for unit in columns[0]] if columns else []
    figures = [[label, *values] for label, values in zip(headers[1:], columns[1:], strict=True)]
    return [headers[0], *units], figures


def _scope(pdf: FPDF, report: IncidentReport) -> None:
    _section(pdf, gettext("Suspect scope"), tables.status_table(report), whole=(0, 1))
    pdf.ln(2)
    graph_draw(pdf, scope_graph(report))
    _table(pdf, tables.scope_table(report, limit=TRACE_REPORT_LOTS), whole=(0, 2, 3, 4))
    total = len(report.scope.lots)
    if total > TRACE_REPORT_LOTS:  # the XLSX of the report lists them all
        pdf.multi_cell(
            0,
            5,
            gettext("The first %(shown)s of %(total)s lots are listed.")
            % {"shown": grouped(Decimal(TRACE_REPORT_LOTS)), "total": grouped(Decimal(total))},
            new_x="LMARGIN",
            new_y="NEXT",
        )


def _decisions(pdf: FPDF, report: IncidentReport) -> None:
    """Each decision as a block (its lots can be many), then every signature in one table:
    the decisions', the recall's and the incident's closing one."""
    pdf_heading(pdf, model_title(Decision))
    headers, rows = tables.decisions_table(report)
    if not rows:
        _table(pdf, (headers, rows))
    for row in rows:
        _pairs(pdf, list(zip(headers, row, strict=True)))
        pdf.ln(2)
    signatures = tables.signatures_table(report, hash_length=HASH_SHOWN)
    _section(pdf, model_title(Signature), signatures, whole=(1, 2, 4, 5))


def _recall(pdf: FPDF, report: IncidentReport) -> None:
    recall = report.recall
    if recall is None:
        return
    pdf_heading(pdf, model_title(Recall, plural=False))
    pairs = [
        (field_label(Recall, "started_at"), recall.started_at),
        (field_label(Recall, "started_by"), recall.started_by.display_name),
        (field_label(Recall, "closed_at"), recall.closed_at),
        (field_label(Recall, "close_reason"), recall.close_reason),
    ]
    _pairs(pdf, pairs)
    _table(pdf, tables.progress_table(report), whole=(1, 2, 3, 4, 5, 6))
