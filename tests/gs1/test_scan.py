"""Reading GS1 scans: the shared GS1 cases, keyboard-wedge variants, URNs and GTIN forms."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tracelot.gs1.scan import (
    GS,
    ScanKind,
    gtin_forms,
    gtin_from_lgtin,
    scan_parse,
    scan_parse_lenient,
)

CASES_FILE = Path("/work/shared/testdata/gs1/gs1_barcode_cases.json")
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]

# Where our reading knowingly differs from the case's own library, and what we read instead.
# The station runs biip.parse() on whatever a scanner sent, so an input one narrow parser
# refuses can be valid as another kind of barcode; and biip is laxer than GS1's own engine.
DIFFERENT: dict[str, tuple[str, dict[str, Any]]] = {
    "biip-msg-too-short-for-optional-time": (
        "not a GS1 message, but 12 digits with a right check digit are a GTIN-12 (UPC-A)",
        {"kind": ScanKind.GS1, "gtin": "00701103020185"},
    ),
    "biip-es-bad-production-date": (
        "not a valid (11) date, but 8 digits with a right check digit are a GTIN-8",
        {"kind": ScanKind.GS1, "gtin": "00000011120230"},
    ),
    "biip-dl-err-not-uri": (
        "not a Digital Link URI, but a valid GTIN-12",
        {"kind": ScanKind.GS1, "gtin": "00614141123452"},
    ),
    "biip-hri-no-parenthesis": (
        "not HRI, but a valid element string: (17) expiry",
        {"kind": ScanKind.GS1, "expiry": date(2022, 12, 31)},
    ),
    "gse-dl-lot-in-query-invalid": (
        "SOURCE.md: biip accepts (10) as a query attribute, the GS1 engine does not",
        {"kind": ScanKind.GS1, "gtin": "09520123456788", "batch": "ABC123"},
    ),
    "gse-dl-duplicate-ai-invalid": (
        "biip keeps a repeated (10) with the same value; the GS1 engine refuses it",
        {"kind": ScanKind.GS1, "gtin": "09520123456788", "batch": "ABC123"},
    ),
    "gse-dl-zero-suppressed-gtin13-rejected": (
        "SOURCE.md: biip accepts a GTIN-13 in a DL path (the GS1 engine only when permitted)",
        {"kind": ScanKind.GS1, "gtin": "02112345678900"},
    ),
    "gse-gen-no-primary-key": (
        "what fails is making a DL URI from the data; reading the HRI succeeds",
        {"kind": ScanKind.GS1, "elements": (("99", "XYZ789"),)},
    ),
    "gse-gen-235-with-10-invalid": (
        "what fails is making a DL URI from the data; reading the HRI succeeds",
        {"kind": ScanKind.GS1, "gtin": "12312312312326", "batch": "DEF"},
    ),
    "gse-dl-stem-with-fake-ai": (
        "biip takes the first /00/ of the path and stops at 'faux'; an SSCC names no lot",
        {"kind": ScanKind.TEXT},
    ),
    "dljs-compressed-decompress": (
        "biip does not decompress compressed Digital Link URIs (a follow-up)",
        {"kind": ScanKind.TEXT},
    ),
}


def _substitute(case: dict[str, Any]) -> str | None:
    # The cases mark the GS with "^" (the GS1 engine's FNC1 notation) or "|" (a custom
    # separator in biip's tests): that is a station configured with that substitute.
    if "(^ = FNC1)" in case["api"]:
        return "^"
    custom = [c for c in case.get("config", {}).get("separator_chars", []) if c != GS]
    return custom[0] if custom else None


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_shared_gs1_case_reads_as_the_file_expects(case: dict[str, Any]) -> None:
    scan = scan_parse(text=case["input"], gs_substitute=_substitute(case))
    expected = case["expected"]
    if "symbology_identifier" in expected:
        assert scan.symbology == expected["symbology_identifier"]
    if case["id"] in DIFFERENT:
        _, ours = DIFFERENT[case["id"]]
        for name, value in ours.items():
            assert getattr(scan, name) == value, name
        return
    if not expected["valid"]:
        assert scan.kind == ScanKind.TEXT, scan
        return
    if "element_strings" in expected:
        assert scan.kind == ScanKind.GS1, scan.error
        assert [(ai, value) for ai, value in scan.elements] == [
            (e["ai"], e["value"].zfill(14) if e["ai"] == "01" else e["value"])
            for e in expected["element_strings"]
        ]
    if "gtin" in expected:
        assert scan.gtin == expected["gtin"].zfill(14)
    assert scan.batch == expected.get("batch", "")
    for field in ("expiry", "best_before"):
        if field in expected:
            assert getattr(scan, field) == date.fromisoformat(expected[field])


def test_the_list_of_differences_names_only_real_cases() -> None:
    assert set(DIFFERENT) <= {case["id"] for case in CASES}


LABEL = "010950110153000310LOT-42" + GS + "172712313103001250"


@pytest.mark.parametrize(
    ("text", "substitute"),
    [
        (LABEL, None),
        ("]d2" + LABEL, None),
        ("]C1" + LABEL, None),
        ("]d2" + LABEL.replace(GS, "^"), "^"),
        (LABEL.replace(GS, "|"), "|"),
        ("]Q3" + LABEL.replace(GS, "~"), "~"),
        (GS + LABEL + "\r\n", None),  # FNC1 in first position and the wedge's Enter
        ("(01)09501101530003(10)LOT-42(17)271231(3103)001250", None),
        ("https://id.gs1.org/01/09501101530003/10/LOT-42?17=271231&3103=001250", None),
    ],
)
def test_a_wedge_scan_reads_the_same_however_the_scanner_is_set(
    text: str, substitute: str | None
) -> None:
    scan = scan_parse(text=text, gs_substitute=substitute)
    assert (scan.kind, scan.gtin, scan.batch) == (ScanKind.GS1, "09501101530003", "LOT-42")
    assert scan.expiry == date(2027, 12, 31)
    assert (scan.quantity, scan.quantity_unit) == (Decimal("1.25"), "kg")


def test_without_the_substitute_the_separator_is_not_guessed() -> None:
    scan = scan_parse(text=LABEL.replace(GS, "^"))
    assert scan.kind == ScanKind.TEXT


def test_a_count_is_a_quantity_without_a_unit() -> None:
    scan = scan_parse(text="]d201095011015300031001" + GS + "3025")
    assert (scan.batch, scan.quantity, scan.quantity_unit) == ("01", Decimal(25), "")


def test_a_digital_link_keeps_a_tilde_even_at_a_tilde_station() -> None:
    scan = scan_parse(text="https://example.com/~shop/01/09501101530003/10/AB", gs_substitute="~")
    assert (scan.kind, scan.batch) == (ScanKind.GS1, "AB")


def test_an_lgtin_urn_names_gtin_and_lot() -> None:
    scan = scan_parse(text="urn:epc:id:lgtin:0614141.011111.987")
    assert (scan.kind, scan.gtin, scan.batch) == (ScanKind.LGTIN, "00614141111114", "987")


@pytest.mark.parametrize("text", ["DOUGH-20261128-0001", "SUP-1", "abc", ""])
def test_anything_else_is_plain_text(text: str) -> None:
    scan = scan_parse(text=text + "\r\n")
    assert (scan.kind, scan.text) == (ScanKind.TEXT, text)


def test_a_gtin_with_a_wrong_check_digit_is_not_read_as_gs1() -> None:
    scan = scan_parse(text="]d2010950110153000810LOT-42")
    assert scan.kind == ScanKind.TEXT
    assert "check digit" in scan.error


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_a_lenient_reading_agrees_with_a_configured_one(case: dict[str, Any]) -> None:
    configured = scan_parse(text=case["input"], gs_substitute=_substitute(case))
    if configured.kind == ScanKind.GS1:
        assert scan_parse_lenient(text=case["input"]) == configured


@pytest.mark.parametrize("substitute", ["^", "|", "~"])
def test_a_lenient_reading_finds_the_usual_substitutes(substitute: str) -> None:
    scan = scan_parse_lenient(text="]d2" + LABEL.replace(GS, substitute))
    assert (scan.kind, scan.gtin, scan.batch) == (ScanKind.GS1, "09501101530003", "LOT-42")
    assert scan.expiry == date(2027, 12, 31)


@pytest.mark.parametrize("text", ["SUP|1", "A^B", "https://example.com/~shop/x", "~", "^^"])
def test_a_lenient_reading_leaves_plain_text_as_it_was(text: str) -> None:
    scan = scan_parse_lenient(text=text)
    assert (scan.kind, scan.text) == (ScanKind.TEXT, text)


def test_an_lgtin_urn_with_a_wrong_length_is_not_read() -> None:
    assert gtin_from_lgtin("urn:epc:id:lgtin:0614141.11111.987") is None
    assert gtin_from_lgtin("urn:epc:id:sgtin:0614141.011111.987") is None
    assert scan_parse(text="urn:epc:id:lgtin:0614141.11111.987").kind == ScanKind.TEXT


@pytest.mark.parametrize(
    ("gtin", "forms"),
    [
        ("19501101530000", ["19501101530000"]),
        ("09501101530003", ["09501101530003", "9501101530003"]),
        ("00614141111114", ["00614141111114", "0614141111114", "614141111114"]),
        (
            "00000012345670",
            ["00000012345670", "0000012345670", "000012345670", "12345670"],
        ),
        ("", []),
    ],
)
def test_a_gtin_14_is_found_however_an_item_stores_it(gtin: str, forms: list[str]) -> None:
    assert gtin_forms(gtin) == forms
