"""Lot labels as ZPL II for 203 dpi thermal printers with 100 x 50 mm stock."""

from django.conf import settings

from tracelot.core.numbers import plain
from tracelot.labels.gs1 import LotIdentity, lot_identity
from tracelot.lots.models import Lot

DOTS_PER_MM = 8  # 203 dpi
LABEL_WIDTH_DOTS, LABEL_HEIGHT_DOTS = 100 * DOTS_PER_MM, 50 * DOTS_PER_MM
# Resident printer fonts have no Chinese glyphs. Zebra sells Simplified Chinese TrueType fonts
# (e.g. ANMDS.TTF, "Andale Mono Simplified") that are downloaded to the E: drive; the Chinese
# item name is printed with that one (settings.TRACELOT_ZPL_CJK_FONT), everything else stays
# ASCII in the resident font 0.


def _field(text: str) -> str:
    """Return `text` for a ^FH field: ^ and ~ would start a command, _ is the hex indicator."""
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def _datamatrix_data(identity: LotIdentity) -> str:
    # ^BX quality 200 with escape character _: _1 is FNC1, which in first position makes the
    # symbol GS1 DataMatrix; a literal _ is written __. The batch comes last, so no separator.
    body = identity.element_string.replace("[", "").replace("]", "")
    return "_1" + body.replace("_", "__")


def _text(*, y: int, height: int, text: str, width: int = 752, font: str = "") -> str:
    # ^FB with one line keeps a long name inside its box instead of running into the symbols.
    font_command = f"^A@N,{height},{height},{font}" if font else f"^A0N,{height},{height}"
    return f"^FO24,{y}{font_command}^FB{width},1,0,L^FH^FD{_field(text)}^FS"


def label_zpl(*, lot: Lot) -> str:
    """Return the label of `lot` as one ZPL II format (^XA … ^XZ), UTF-8 text (^CI28)."""
    identity = lot_identity(lot=lot)
    item = lot.item
    cjk_font = settings.TRACELOT_ZPL_CJK_FONT
    commands = ["^XA", "^CI28", f"^PW{LABEL_WIDTH_DOTS}", f"^LL{LABEL_HEIGHT_DOTS}", "^LH0,0"]
    if item.name_zh:
        commands.append(_text(y=16, height=40, text=item.name_zh, font=cjk_font))
        commands.append(_text(y=60, height=28, text=item.name))
    else:
        commands.append(_text(y=24, height=40, text=item.name))
    # GS1 data titles (GS1 General Specifications 3.2) are English by the standard and print
    # in the resident font on any printer.
    lines = [
        f"LOT {lot.code}",
        f"GTIN {identity.gtin or '-'}",
        f"BATCH {lot.batch}",
        f"EXPIRY {lot.expires_on.isoformat() if lot.expires_on else '-'}",
        f"QTY {plain(lot.quantity_on_hand)} {lot.unit}",
    ]
    if lot.supplier_lot:
        lines.append(f"SUPPLIER LOT {lot.supplier_lot}")
    for number, line in enumerate(lines):
        commands.append(_text(y=104 + number * 36, height=26, text=line, width=380))
    if identity.has_gs1:
        commands.append(f"^FO410,110^BXN,7,200,,,,_^FD{_datamatrix_data(identity)}^FS")
        footer = identity.hri
    else:
        footer = "NO GTIN: QR = LOT CODE ONLY"
    # ^BQ model 2, 5 dots a module; "MA," is error correction M with automatic data mode.
    commands.append(f"^FO590,96^BQN,2,5^FH^FDMA,{_field(identity.qr_data)}^FS")
    commands.append(_text(y=350, height=26, text=footer))
    commands.extend(["^PQ1", "^XZ"])
    return "\n".join(commands) + "\n"
