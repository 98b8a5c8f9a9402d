"""Reading GS1 data: what a scanner sent, as a GS1 barcode, an EPC LGTIN URN or plain text.

The one GS1 reader of the product: the scan station, receiving, lot search and trace start
points all read scans here. It knows no models, so every app down to genealogy can use it.

Scanners at the stations are keyboard wedges, phones and tablets. A wedge types what it reads
and cannot type the GS1 group separator (GS, 0x1D, FNC1 inside the data) on most keyboard
layouts, so each station's scanner is set to send a substitute character instead (often ^, |
or ~); many also put an AIM symbology identifier (]d2 DataMatrix, ]C1 GS1-128, ]Q3 QR, ]e0
DataBar) in front. `scan_parse` undoes both and lets biip read the GS1 data.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from biip import ParseConfig, ParseError, parse
from biip.checksums import gs1_standard_check_digit
from biip.gs1_messages import GS1Message

GS = "\x1d"
# "]" + symbology letter + modifier (ISO/IEC 15424); the modifier is a digit or a letter.
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# EAN/UPC (]E), ITF-14 (]I) and GS1 DataBar without AIs carry a bare GTIN, never AIs.
_GTIN_ONLY_SYMBOLOGIES = ("]E", "]I")
_CONFIG = ParseConfig(separator_chars=[GS])
_LGTIN = re.compile(r"^urn:epc:id:lgtin:(\d+)\.(\d+)\.(.+)$", re.IGNORECASE)
# What wedge scanners are commonly set to send for GS. None of them is in GS1's character
# set 82, so none can be part of GS1 data: where one stands in GS1 data, it stands for GS.
WEDGE_SUBSTITUTES = ("^", "|", "~")


class ScanKind(StrEnum):
    GS1 = "gs1"  # GS1 element string, HRI, Digital Link URI or a bare GTIN (EAN/UPC/ITF)
    LGTIN = "lgtin"  # EPC URN urn:epc:id:lgtin:company.item.lot
    TEXT = "text"  # anything else: our lot code or a supplier's lot number


@dataclass(frozen=True)
class Scan:
    """One scan, read. `text` is what is left after the symbology identifier and the
    station's GS substitute are dealt with; `raw` is exactly what the scanner sent."""

    kind: ScanKind
    raw: str
    text: str
    symbology: str = ""
    gtin: str = ""  # always 14 digits when present
    batch: str = ""  # AI (10)
    expiry: date | None = None  # AI (17)
    best_before: date | None = None  # AI (15)
    quantity: Decimal | None = None  # AI (30)/(37) count, or (310n) net weight
    quantity_unit: str = ""  # "kg" for (310n); "" for a count
    elements: tuple[tuple[str, str], ...] = ()  # every (AI, value) in the order read
    error: str = ""  # why text that looked like GS1 data was not read as GS1


def scan_parse(*, text: str, gs_substitute: str | None = None) -> Scan:
    """Read what a scanner sent: GS1 barcode or Digital Link, LGTIN URN, or plain text."""
    raw = text
    # Only the Enter (and stray spaces) a wedge adds: str.strip() would also eat a GS.
    text = text.strip(" \t\r\n")
    symbology = ""
    match = _AIM.match(text)
    if match is not None:
        symbology, text = match.group(0), text[match.end() :]
    if gs_substitute and not _is_uri(text):
        # A URI keeps its characters: "~" is legal in a Digital Link, "|" is not used in one.
        text = text.replace(gs_substitute, GS)
    if text.lower().startswith("urn:epc:id:lgtin:"):
        found = gtin_from_lgtin(text)
        if found is None:
            return Scan(kind=ScanKind.TEXT, raw=raw, text=text, symbology=symbology)
        return Scan(
            kind=ScanKind.LGTIN,
            raw=raw,
            text=text,
            symbology=symbology,
            gtin=found[0],
            batch=found[1],
        )
    return _gs1_or_text(raw=raw, text=text, symbology=symbology)


def scan_parse_lenient(*, text: str) -> Scan:
    """Read a scan from a device whose GS substitute is unknown: a search box, receiving.

    The common substitutes are tried only where the text does not read as GS1 as it is.
    """
    scan = scan_parse(text=text)
    if scan.kind != ScanKind.TEXT or _is_uri(scan.text):
        return scan
    for substitute in WEDGE_SUBSTITUTES:
        if substitute in scan.text:
            guessed = scan_parse(text=text, gs_substitute=substitute)
            if guessed.kind == ScanKind.GS1:
                return guessed
    return scan


def gtin_from_lgtin(urn: str) -> tuple[str, str] | None:
    """(GTIN-14, lot) from an EPC LGTIN URN such as urn:epc:id:lgtin:0614141.011111.987."""
    match = _LGTIN.match(urn.strip())
    if match is None:
        return None
    company, item_ref, lot = match.groups()
    # The indicator digit leads the item reference in the URN but the GTIN-14.
    digits = item_ref[0] + company + item_ref[1:]
    if len(digits) != 13:
        return None
    return digits + str(gs1_standard_check_digit(digits)), lot


def gtin_forms(gtin: str) -> list[str]:
    """The ways a GTIN-14 may be stored: itself and its 13-, 12- and 8-digit forms."""
    # Items keep the GTIN as printed (8, 12, 13 or 14 digits); a scan always gives 14.
    if len(gtin) != 14:
        return [gtin] if gtin else []
    return [gtin[-length:] for length in (14, 13, 12, 8) if gtin[: 14 - length].strip("0") == ""]


def _is_uri(text: str) -> bool:
    return text.lower().startswith(("http://", "https://", "urn:"))


def _gs1_or_text(*, raw: str, text: str, symbology: str) -> Scan:
    plain = Scan(kind=ScanKind.TEXT, raw=raw, text=text, symbology=symbology)
    if not text:
        return plain
    try:
        message, gtin, error = _read_gs1(text, symbology)
    except ParseError as exc:
        return Scan(kind=ScanKind.TEXT, raw=raw, text=text, symbology=symbology, error=str(exc))
    except (IndexError, ValueError, KeyError):
        # biip indexes into what it takes for a symbology identifier ("]" alone raises
        # IndexError inside it): text it cannot read at all is plain text to look up.
        return plain
    if error:
        return Scan(kind=ScanKind.TEXT, raw=raw, text=text, symbology=symbology, error=error)
    if message is None:
        if not gtin:
            return plain
        return Scan(kind=ScanKind.GS1, raw=raw, text=text, symbology=symbology, gtin=gtin)
    if not message.element_strings:
        return plain  # a lone separator: nothing was read
    try:
        return _from_message(message, raw=raw, text=text, symbology=symbology)
    except (InvalidOperation, ValueError, IndexError):
        return plain  # an element without a usable value ("30" alone): not a label to read


def _read_gs1(text: str, symbology: str) -> tuple[GS1Message | None, str, str]:
    """(message, bare GTIN, error): biip's reading of `text`; ParseError for broken HRI."""
    if text.startswith("("):
        return GS1Message.parse_hri(text, config=_CONFIG), "", ""
    result = parse(text, config=_CONFIG)
    if symbology.startswith(_GTIN_ONLY_SYMBOLOGIES) or (
        result.gs1_message is None and result.gs1_digital_link_uri is None
    ):
        gtin = result.gtin.as_gtin_14() if result.gtin is not None else ""
        return None, gtin, "" if gtin else (result.gs1_message_error or "")
    if result.gs1_message is not None:
        return result.gs1_message, "", ""
    assert result.gs1_digital_link_uri is not None  # noqa: S101 - checked just above
    return result.gs1_digital_link_uri.as_gs1_message(), "", ""


def _from_message(message: GS1Message, *, raw: str, text: str, symbology: str) -> Scan:
    gtin = batch = unit = ""
    expiry = best_before = None
    quantity: Decimal | None = None
    elements = []
    for element in message.element_strings:
        # A wrong check digit (GTIN, SSCC, GLN) means a misread or a mistyped label.
        error = element.gtin_error or element.sscc_error or element.gln_error
        if error:
            return Scan(kind=ScanKind.TEXT, raw=raw, text=text, symbology=symbology, error=error)
        ai = element.ai.ai
        elements.append((ai, element.value))
        if ai == "01":
            gtin = element.value.zfill(14)
        elif ai == "10":
            batch = element.value
        elif ai == "17":
            expiry = element.date
        elif ai == "15":
            best_before = element.date
        elif ai in ("30", "37"):
            quantity, unit = Decimal(element.value), ""
        elif ai.startswith("310") and element.decimal is not None:
            quantity, unit = Decimal(element.decimal), "kg"
    return Scan(
        kind=ScanKind.GS1,
        raw=raw,
        text=text,
        symbology=symbology,
        gtin=gtin,
        batch=batch,
        expiry=expiry,
        best_before=best_before,
        quantity=quantity,
        quantity_unit=unit,
        elements=tuple(elements),
    )


def lost_separator(scan: Scan) -> str | None:
    """The character a scanner seems to send for the GS1 separator when a GS1 scan could not
    be read or names nothing ("" when it seems to send none at all), else None.

    A wedge scanner that types GS as ^, | or ~ leaves that character inside the batch (or
    breaks the reading); one that drops it makes a batch longer than GS1 allows (20).
    """
    if scan.kind == ScanKind.TEXT and not (scan.error and scan.text[:2].isdigit()):
        return None
    if scan.kind not in (ScanKind.TEXT, ScanKind.GS1):
        return None
    for substitute in WEDGE_SUBSTITUTES:
        if substitute in scan.text:
            return substitute
    if scan.kind == ScanKind.GS1 and len(scan.batch) > 20:
        return ""
    return None
