"""Tables as spreadsheets: CSV (UTF-8 with a byte-order mark, for Excel) and XLSX.

One writer for every download of a table (the candidate list, the cohort dashboard, a
person's scores, the board pack), so that each escapes and formats cells the same way
(docs/adr/0014-spreadsheet-downloads.md):

- A text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) is written to the CSV with an apostrophe in
  front, so that it shows as the text it is and is never worked out. A plain number
  written as text (``-3``, ``+1.50``) is left as it is: it can only ever be itself.
- In the XLSX every text cell is written as text, never as a formula, so nothing needs
  escaping there; numbers are numbers and dates are dates.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from django.http import Http404, HttpResponse

Value = str | int | float | date | None

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
BOM = "\ufeff"
SHEET_NAME_MAX = 31  # Excel's limit
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    """One table: its name (the XLSX sheet's; the CSV block's heading where there are
    several), its column headers and rows, lines above it (the first in bold: a title, a
    period) and notes below it. The lines and notes are the XLSX's only; a CSV holds the
    table alone."""

    name: str
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[Value]] = ()
    above: Sequence[str] = ()
    notes: Sequence[str] = ()
    first_column_width: int = 0  # characters; 0 leaves Excel's default


def csv_safe(text: str) -> str:
    """The text as a CSV cell no spreadsheet will work out as a formula."""
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return csv_safe(value)


def as_csv(sheets: Sequence[Sheet]) -> bytes:
    """One table: its headers and rows. Several: each under a line with its name, with a
    blank line between them."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    several = len(sheets) > 1
    for i, sheet in enumerate(sheets):
        if several:
            if i:
                writer.writerow([])
            writer.writerow([csv_safe(sheet.name)])
        writer.writerow([csv_safe(h) for h in sheet.headers])
        writer.writerows([_csv_cell(v) for v in row] for row in sheet.rows)
    return out.getvalue().encode("utf-8")


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters, none of ``[]:*?/\\``), unique in the book."""
    base = NOT_IN_SHEET_NAMES.sub(" ", name).strip()[:SHEET_NAME_MAX] or "Sheet"
    found, n = base, 1
    while found.lower() in taken:
        n += 1
        found = f"{base[:SHEET_NAME_MAX - len(str(n)) - 1]} {n}"
    taken.add(found.lower())
    return found


def as_xlsx(sheets: Sequence[Sheet]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = _Formats(book)
    taken: set[str] = set()
    for sheet in sheets:
        _write_sheet(book.add_worksheet(sheet_name(sheet.name, taken)), sheet, formats)
    book.close()
    return out.getvalue()


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.bold = book.add_format({"bold": True})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})


def _write_sheet(worksheet: xlsxwriter.worksheet.Worksheet, sheet: Sheet,
                 formats: _Formats) -> None:
    row = 0
    for i, line in enumerate(sheet.above):
        worksheet.write_string(row, 0, line, formats.bold if i == 0 else None)
        row += 1
    if sheet.above and (sheet.headers or sheet.rows):
        row += 1
    if sheet.headers:
        for c, header in enumerate(sheet.headers):
            worksheet.write_string(row, c, header, formats.bold)
        row += 1
    for values in sheet.rows:
        for c, value in enumerate(values):
            _write_cell(worksheet, row, c, value, formats)
        row += 1
    if sheet.notes and row:
        row += 1
    for note in sheet.notes:
        worksheet.write_string(row, 0, note)
        row += 1
    if sheet.first_column_width:
        worksheet.set_column(0, 0, sheet.first_column_width)


def _write_cell(worksheet: xlsxwriter.worksheet.Worksheet, row: int, column: int,
                value: Value, formats: _Formats) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        worksheet.write_string(row, column, "yes" if value else "no")
    elif isinstance(value, int | float):
        worksheet.write_number(row, column, value)
    elif isinstance(value, date):
        worksheet.write_datetime(row, column, value, formats.day)
    else:
        worksheet.write_string(row, column, value)  # text, never a formula


def content_type(fmt: str) -> str:
    """The format's content type; an unknown format is a page that does not exist."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    return CONTENT_TYPES[fmt]


def download(sheets: Sequence[Sheet], *, fmt: str, file_stem: str) -> HttpResponse:
    """The sheets as an attachment named ``file_stem.fmt`` (``csv`` or ``xlsx``)."""
    kind = content_type(fmt)
    body = as_csv(sheets) if fmt == "csv" else as_xlsx(sheets)
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{fmt}"'
    return response
