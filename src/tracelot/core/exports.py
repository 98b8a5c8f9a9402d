"""Tables as files people open in Excel: CSV (streamed, UTF-8 with a BOM so Excel reads the
Chinese right) and XLSX (openpyxl's write-only workbook), one way for every export."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (sheet title, headers, rows)
Sheet = tuple[str, list[str], Iterable[list[Any]]]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The table as CSV lines, the first with the BOM; empty cells for None."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow(["" if value is None else value for value in row])


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook with one sheet per table."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])  # Excel's limit on sheet titles
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    return response


def workbook_download(*, sheets: Iterable[Sheet], name: str) -> HttpResponse:
    """Several tables as one XLSX download, a sheet each."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
