"""Exports hold any text a user or a scanner typed, and a spreadsheet never runs it."""

import csv
import io

from openpyxl import load_workbook

from tracelot.core.exports import csv_lines, workbook_bytes

HOSTILE = [
    "01095011010209171012345\x1d3102000100",  # a wedge scan with its GS
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "-5",
    "nul\x00byte",
]


def test_an_xlsx_export_keeps_hostile_text_as_text():
    data = workbook_bytes([("Sheet", ["text"], [[value] for value in HOSTILE])])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells] == [
        "01095011010209171012345␝3102000100",
        '=HYPERLINK("http://evil.example","click")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3",
        "-5",
        "nul␀byte",
    ]


def test_a_csv_export_quotes_what_excel_would_run():
    text = "".join(csv_lines(["text"], [[value] for value in HOSTILE]))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == [
        "01095011010209171012345␝3102000100",
        '\'=HYPERLINK("http://evil.example","click")',
        "'+cmd|' /C calc'!A0",
        "'@SUM(1+1)",
        "'-2+3",
        "-5",
        "nul␀byte",
    ]
