"""The pack as text for people (the same formatting on the page and in the PDF), as
long-form CSV, as an XLSX workbook, and as a PDF drawn with the documents' ReportLab
layout (ADR 0003).

Every figure is formatted once, by ``shown``, so the page, the PDF and the CSV
carry the same numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import xlsxwriter

from iom.casework.pdf import Document, render

from .measures.assemble import Pack
from .measures.tables import Cell, Table

CSV_COLUMNS = ("table", "measure", "group", "period", "value", "unit", "suppressed")
NOT_AVAILABLE = "[x]"  # nothing to work a figure out from (the statistical convention)
DECIMALS = {"count": 0, "rate": 2, "percent": 1, "mean": 1, "score": 1}
PDF_COLUMNS = 5  # measures per PDF table; wider tables continue below


def number(cell: Cell) -> str:
    """The figure as published, without separators (the CSV's value); '' when there is none."""
    if cell.value is None:
        return ""
    return f"{cell.value:.{DECIMALS[cell.unit]}f}"


def shown(cell: Cell, marker: str) -> str:
    if cell.suppressed:
        return marker
    if cell.value is None:
        return NOT_AVAILABLE
    return f"{cell.value:,.{DECIMALS[cell.unit]}f}"


def long_rows(pack: Pack) -> Iterator[dict[str, str]]:
    for table in pack.tables:
        for group, cells in table.rows:
            for column in table.columns:
                if column not in cells:
                    continue
                cell = cells[column]
                yield {"table": table.key, "measure": column, "group": group,
                       "period": table.period, "value": number(cell), "unit": cell.unit,
                       "suppressed": "true" if cell.suppressed else "false"}


def pack_csv(pack: Pack) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(long_rows(pack))
    return out.getvalue()


def table_rows(table: Table, marker: str) -> list[list[str]]:
    return [[group, *(shown(cells[c], marker) if c in cells else "" for c in table.columns)]
            for group, cells in table.rows]


def pack_pdf(pack: Pack, marker: str) -> bytes:
    doc = Document(title=pack.title, caption=f"Period: {pack.period}. Aggregated and "
                   "depersonalised statistics; small numbers suppressed.",
                   marking="OFFICIAL", footer="Board pack")
    doc.heading("Reading these figures")
    doc.paragraph(pack.caveat)
    for table in pack.tables:
        _pdf_table(doc, table, marker)
    doc.heading("Method")
    doc.bullets(list(pack.method))
    doc.paragraph(f"{marker}: suppressed to protect individuals. {NOT_AVAILABLE}: not "
                  "available (nothing to work the figure out from).")
    return render(doc)


def _pdf_table(doc: Document, table: Table, marker: str) -> None:
    doc.heading(table.title)
    rows = table_rows(table, marker)
    for start in range(0, len(table.columns), PDF_COLUMNS):
        part = slice(start, start + PDF_COLUMNS)
        header = ["", *(table.heading(c) for c in table.columns[part])]
        doc.table(header, [[r[0], *r[1:][part]] for r in rows], empty="No one in this period.")
    for note in table.notes:
        doc.paragraph(note)


def pack_xlsx(pack: Pack, marker: str) -> bytes:
    """One sheet per table (numbers as numbers, rounded as on the page; a suppressed
    cell as its marker), with the table's notes below it, and a first sheet with the
    caveat and the method."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    about = book.add_worksheet("About")
    lines = [pack.title, f"Period: {pack.period}", "", pack.caveat, "", "Method", *pack.method,
             "", f"{marker}: suppressed to protect individuals. {NOT_AVAILABLE}: not available."]
    for row, text in enumerate(lines):
        about.write_string(row, 0, text, bold if row == 0 else None)
    for table in pack.tables:
        _sheet(book, table, marker, bold)
    book.close()
    return out.getvalue()


def _sheet(book: xlsxwriter.Workbook, table: Table, marker: str, bold: object) -> None:
    sheet = book.add_worksheet(table.key[:31])
    sheet.write_string(0, 0, table.title, bold)
    sheet.write_string(1, 0, f"Period: {table.period}")
    sheet.write_row(3, 0, ["Group", *(table.heading(c) for c in table.columns)], bold)
    for r, (group, cells) in enumerate(table.rows, start=4):
        sheet.write_string(r, 0, group)
        for c, column in enumerate(table.columns, start=1):
            if column not in cells:
                continue
            cell = cells[column]
            if cell.suppressed or cell.value is None:
                sheet.write_string(r, c, shown(cell, marker))
            else:
                sheet.write_number(r, c, float(number(cell)))
    below = 5 + len(table.rows)
    for i, note in enumerate(table.notes):
        sheet.write_string(below + i, 0, note)
    sheet.set_column(0, 0, 40)
