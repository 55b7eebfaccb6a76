"""The pack as text for people (the same formatting on the page and in the PDF), as
long-form CSV, as an XLSX workbook, and as a PDF drawn with the documents' ReportLab
layout (ADR 0003).

Every figure is formatted once, by ``shown``, so the page, the PDF and the CSV
carry the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from iom.casework.pdf import Document, render
from iom.core import words
from iom.core.spreadsheets import Sheet, Value, as_csv, as_xlsx

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


def pack_csv(pack: Pack) -> bytes:
    """Long form, through the one spreadsheet writer (UTF-8 with a byte-order mark)."""
    rows = [[row[c] for c in CSV_COLUMNS] for row in long_rows(pack)]
    return as_csv([Sheet("tables", CSV_COLUMNS, rows)])


def table_rows(table: Table, marker: str) -> list[list[str]]:
    return [[group, *(shown(cells[c], marker) if c in cells else "" for c in table.columns)]
            for group, cells in table.rows]


def pack_pdf(pack: Pack, marker: str) -> bytes:
    doc = Document(title=pack.title, caption=f"Period: {pack.period}.{_as_at(pack)} Aggregated "
                   "and depersonalised statistics; small numbers suppressed.",
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
    about = Sheet("About", above=[
        pack.title, f"Period: {pack.period}.{_as_at(pack)}", "", pack.caveat, "", "Method",
        *pack.method,
        "", f"{marker}: suppressed to protect individuals. {NOT_AVAILABLE}: not available."])
    return as_xlsx([about, *(_sheet(table, marker) for table in pack.tables)])


def _as_at(pack: Pack) -> str:
    if pack.figures_as_at is None:
        return ""
    return f" Figures as at {words.date_and_time(timezone.localtime(pack.figures_as_at))}."


def _sheet(table: Table, marker: str) -> Sheet:
    rows: list[list[Value]] = [
        [group, *(_value(cells[c], marker) if c in cells else None for c in table.columns)]
        for group, cells in table.rows]
    return Sheet(table.key, ["Group", *(table.heading(c) for c in table.columns)], rows,
                 above=[table.title, f"Period: {table.period}"], notes=table.notes,
                 first_column_width=40)


def _value(cell: Cell, marker: str) -> Value:
    if cell.suppressed or cell.value is None:
        return shown(cell, marker)
    return float(number(cell))
