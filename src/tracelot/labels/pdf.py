"""Lot labels as PDF: one 100 x 50 mm label for a label printer, or ten on an A4 sheet."""

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import get_language, gettext
from fpdf import FPDF

from tracelot.items.models import amount
from tracelot.labels.fonts import cjk_font
from tracelot.labels.gs1 import LotIdentity, lot_identity
from tracelot.labels.symbols import SymbolKind, symbol_shape
from tracelot.lots.models import Lot

Layout = Literal["label", "a4"]
LAYOUTS: tuple[Layout, ...] = ("label", "a4")

LABEL_WIDTH, LABEL_HEIGHT = 100.0, 50.0  # mm
# A4 sheet: two columns of five labels, centred (the common 10-up 100 x 50 sheet).
SHEET_COLUMNS, SHEET_ROWS = 2, 5
FONT = "NotoSansSC"


@dataclass(frozen=True)
class LabelText:
    """The human-readable lines of a label, already in the user's language."""

    name: str
    name_en: str
    lines: tuple[str, ...]
    footer: str


def label_text(*, lot: Lot, identity: LotIdentity) -> LabelText:
    """Return the label's text lines for `lot` in the active language."""
    item = lot.item
    name = item.display_name
    lines = [
        gettext("Lot: %(code)s") % {"code": lot.code},
        gettext("GTIN: %(gtin)s") % {"gtin": identity.gtin or "-"},
        gettext("Batch: %(batch)s") % {"batch": lot.batch},
        gettext("Expiry: %(date)s")
        % {"date": lot.expires_on.isoformat() if lot.expires_on else "-"},
        gettext("Quantity: %(quantity)s") % {"quantity": amount(lot.quantity_on_hand, lot.unit)},
    ]
    if lot.supplier_lot:
        lines.append(gettext("Supplier lot: %(lot)s") % {"lot": lot.supplier_lot})
    if identity.has_gs1:
        footer = identity.hri
    else:
        footer = gettext("No GTIN: the QR code holds the lot code only.")
    return LabelText(
        name=name,
        name_en=item.name if item.name != name else "",
        lines=tuple(lines),
        footer=footer,
    )


def _fit_text(pdf: FPDF, *, x: float, y: float, width: float, text: str, size: float) -> None:
    # Shrink long names and codes to the space they have instead of running off the label.
    while size > 4 and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font_size(size)
    pdf.set_font_size(size)
    pdf.set_xy(x, y)
    pdf.cell(w=width, h=size * 0.3528 * 1.2, text=text)


def _draw_symbol(
    pdf: FPDF, *, kind: SymbolKind, data: str, x: float, y: float, size: float
) -> None:
    shape = symbol_shape(kind=kind, data=data)
    scale = size / max(shape.width, shape.height)
    for left, top, width, height in shape.rectangles:
        pdf.rect(x + left * scale, y + top * scale, width * scale, height * scale, style="F")


def _draw_label(pdf: FPDF, *, text: LabelText, identity: LotIdentity, x: float, y: float) -> None:
    margin = 3.0
    inner = LABEL_WIDTH - 2 * margin
    _fit_text(pdf, x=x + margin, y=y + 2.5, width=inner, text=text.name, size=11)
    if text.name_en:
        _fit_text(pdf, x=x + margin, y=y + 7.5, width=inner, text=text.name_en, size=8)
    for number, line in enumerate(text.lines):
        _fit_text(pdf, x=x + margin, y=y + 13 + number * 4, width=44, text=line, size=7)
    if identity.has_gs1:
        _draw_symbol(
            pdf,
            kind=SymbolKind.DATAMATRIX,
            data=identity.element_string,
            x=x + 50,
            y=y + 14,
            size=18,
        )
    # The QR keeps about four modules of quiet zone to the label's edge and the DataMatrix.
    _draw_symbol(pdf, kind=SymbolKind.QR, data=identity.qr_data, x=x + 73, y=y + 13, size=22)
    _fit_text(pdf, x=x + margin, y=y + 42.5, width=inner, text=text.footer, size=7)


def label_pdf(*, lot: Lot, layout: Layout = "label") -> bytes:
    """Return the label of `lot` as PDF, for a 100 x 50 mm label printer or an A4 sheet."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown label layout {layout!r}")
    font = cjk_font()
    identity = lot_identity(lot=lot)
    text = label_text(lot=lot, identity=identity)
    page_format: str | tuple[float, float] = (
        (LABEL_WIDTH, LABEL_HEIGHT) if layout == "label" else "A4"
    )
    # fpdf2 takes a (width, height) format as it is in portrait; landscape would swap it.
    pdf = FPDF(orientation="portrait", unit="mm", format=page_format)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margin(0)
    pdf.set_creator("Tracelot")
    pdf.set_title(gettext("Label of lot %(code)s") % {"code": lot.code})
    pdf.set_lang("zh-CN" if (get_language() or "").startswith("zh") else "en")
    pdf.add_font(FONT, "", font.path, collection_font_number=font.index)
    pdf.set_font(FONT, size=8)
    pdf.add_page()
    if layout == "label":
        _draw_label(pdf, text=text, identity=identity, x=0, y=0)
    else:
        left = (pdf.w - SHEET_COLUMNS * LABEL_WIDTH) / 2
        top = (pdf.h - SHEET_ROWS * LABEL_HEIGHT) / 2
        pdf.set_draw_color(200)
        pdf.set_line_width(0.1)
        for row in range(SHEET_ROWS):
            for column in range(SHEET_COLUMNS):
                x, y = left + column * LABEL_WIDTH, top + row * LABEL_HEIGHT
                pdf.rect(x, y, LABEL_WIDTH, LABEL_HEIGHT)  # a cutting guide
                _draw_label(pdf, text=text, identity=identity, x=x, y=y)
    return bytes(pdf.output())
