"""Tables as files people open in Excel: CSV (streamed, UTF-8 with a BOM so Excel reads the
Chinese right) and XLSX (openpyxl's write-only workbook), one way for every export."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import chain, islice
from typing import Any

from django.dispatch import Signal
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from tracelot.core.text import visible

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (sheet title, headers, rows)
Sheet = tuple[str, list[str], Iterable[list[Any]]]


# A cell a spreadsheet would run as a formula (CSV injection): =, +, -, @, or a tab or CR
# before one. Numbers typed as text ("-5") are left as they are.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def cell_text(value: str) -> str:
    """Text as a spreadsheet cell shows it and never runs it: control characters made
    visible (XLSX cannot hold them at all); a leading formula character quoted with an
    apostrophe (OWASP's advice)."""
    value = visible(value)
    if value.startswith(_FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return cell_text(value) if isinstance(value, str) else value


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: a moment is written as the plant's clock shows it.
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if not isinstance(value, str):
        return value
    value = visible(value)
    if value.startswith("="):
        # openpyxl writes any text beginning with = as a formula; a cell typed as text is not.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The table as CSV lines, the first with the BOM; empty cells for None."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_cell(value) for value in headers])
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


WIDTH_SAMPLE = 200  # rows read ahead to size the columns
MAX_WIDTH = 60


def _width(value: Any) -> int:
    if isinstance(value, datetime):
        return 16
    text = "" if value is None else str(value)
    # CJK characters take two columns of an Excel cell.
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook with one sheet per table: the header row frozen and filterable, the
    columns as wide as their first rows, numbers as numbers and times as Excel dates."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])  # Excel's limit on sheet titles
        rows = iter(rows)
        ahead = list(islice(rows, WIDTH_SAMPLE))
        for index, header in enumerate(headers, start=1):
            widest = max([_width(header), *(_width(row[index - 1]) for row in ahead)])
            sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"  # set before the first row: write-only sheets need it so
        sheet.append([_xlsx_cell(sheet, value) for value in headers])
        count = 0
        for row in chain(ahead, rows):
            sheet.append([_xlsx_cell(sheet, value) for value in row])
            count += 1
        if headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Sent for every download of records (name, kind): the audit trail records who took what.
records_exported = Signal()


def table_download(
    *,
    headers: list[str],
    rows: Iterable[list[Any]],
    kind: str,
    name: str,
    title: str,
) -> HttpResponseBase:
    """`rows` as a download: `kind` "csv" streamed row by row, else one XLSX sheet `title`."""
    response: HttpResponseBase
    if kind == "csv":
        response = StreamingHttpResponse(
            csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(workbook_bytes([(title, headers, rows)]), content_type=XLSX)
    extension = "csv" if kind == "csv" else "xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    records_exported.send(sender=None, name=f"{name}.{extension}")
    return response


def workbook_download(*, sheets: Iterable[Sheet], name: str) -> HttpResponse:
    """Several tables as one XLSX download, a sheet each."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    records_exported.send(sender=None, name=f"{name}.xlsx")
    return response


def document_download(
    content: bytes, *, filename: str, content_type: str = "application/pdf"
) -> HttpResponse:
    """A document of records (a report, a letter, a trace) shown in the browser, to print or
    save; recorded in the audit trail like every other download of records."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    records_exported.send(sender=None, name=filename)
    return response
