"""A4 documents with the Chinese font embedded: a title, headings and tables, the company on
top of every page and "page n of m, printed … by …" below (reports, recall letters)."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext
from fpdf import FPDF
from fpdf.fonts import FontFace

from tracelot.labels.fonts import cjk_font

FONT = "cjk"
CELL_PADDING = 2.5  # mm a table cell adds around its text (fpdf2's default padding, both sides)


class _Document(FPDF):  # type: ignore[misc]
    """A4 with the company on top of every page and "page n of m, printed … by …" below."""

    def __init__(self, company: str, printed: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.company, self.printed = company, printed

    def header(self) -> None:
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.company, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.set_text_color(90, 90, 90)
        page = gettext("Page %(page)s of %(pages)s") % {
            "page": self.page_no(),
            "pages": "{nb}",
        }
        self.cell(0, 5, f"{self.printed}    {page}", align="R")
        self.set_text_color(0, 0, 0)


def pdf_document(title: str, subtitle: str, *, company: str = "", printed: str = "") -> FPDF:
    font = cjk_font()
    pdf = _Document(company, printed)
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


def pdf_heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, size=12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)


def pdf_table(
    pdf: FPDF, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, whole: Sequence[int] = ()
) -> None:
    """A table whose columns `whole` (lot codes, order numbers) are wide enough for their
    longest value, so a code is never broken across lines; the others share the rest."""
    pdf.set_font(FONT, size=8)
    texts = [["" if value is None else str(value) for value in row] for row in rows]
    widths = [0.0] * len(headers)
    for column in whole:
        longest = max((pdf.get_string_width(row[column]) for row in texts), default=0.0)
        widths[column] = max(longest, pdf.get_string_width(headers[column])) + 2 * CELL_PADDING
    free = pdf.epw - sum(widths)
    rest = len(headers) - len(whole)
    for column in range(len(headers)):
        if column not in whole:
            widths[column] = max(free / rest, 12.0) if rest else 0.0
    with pdf.table(
        headings_style=FontFace(emphasis=None, fill_color=(232, 240, 251)),
        line_height=4.5,
        text_align="LEFT",
        col_widths=widths,
        width=min(sum(widths), pdf.epw),
    ) as table:
        table.row([str(h) for h in headers])
        for row in texts:
            table.row(row)
