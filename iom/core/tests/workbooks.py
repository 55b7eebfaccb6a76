"""Reading back an XLSX written by ``iom.core.spreadsheets`` in tests: each sheet's cells
as text, by sheet name (no spreadsheet library is installed to read them)."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xml(book: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(book.read(name))  # noqa: S314 - our own test output


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters is not None
    n = 0
    for letter in letters.group():
        n = n * 26 + ord(letter) - 64
    return n - 1


def sheets(data: bytes) -> dict[str, list[list[str]]]:
    """Every sheet's rows, each a list of cell texts ('' where a cell is empty)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                   for si in _xml(book, "xl/sharedStrings.xml").findall("m:si", NS)] \
            if "xl/sharedStrings.xml" in book.namelist() else []
        rels = {r.get("Id"): r.get("Target") for r in _xml(book, "xl/_rels/workbook.xml.rels")}
        found = {}
        for sheet in _xml(book, "xl/workbook.xml").find("m:sheets", NS) or []:
            target = str(rels[sheet.get(REL)]).removeprefix("/xl/")
            found[str(sheet.get("name"))] = _rows(_xml(book, f"xl/{target}"), strings)
    return found


def _rows(sheet: ElementTree.Element, strings: list[str]) -> list[list[str]]:
    rows: dict[int, dict[int, str]] = {}
    for row in sheet.iter(f"{{{NS['m']}}}row"):
        cells = rows.setdefault(int(str(row.get("r"))) - 1, {})
        for cell in row.findall("m:c", NS):
            value = cell.find("m:v", NS)
            text = "" if value is None else str(value.text)
            cells[_column(str(cell.get("r")))] = (strings[int(text)] if cell.get("t") == "s"
                                                  else text)
    if not rows:
        return []
    return [[rows.get(r, {}).get(c, "") for c in range(max(max(v, default=-1)
                                                           for v in rows.values()) + 1)]
            for r in range(max(rows) + 1)]


def text(data: bytes) -> str:
    """Everything the workbook says, for a search through it."""
    return "\n".join("\t".join(row) for rows in sheets(data).values() for row in rows)
