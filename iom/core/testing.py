"""What tests of every app share to read what the product gives back: a PDF's text,
an XLSX's cells, and the settings as an environment would make them. Test data
(people, cases, meetings, tags) comes from each app's ``tests/factories.py``; a test
imports another app's tests only through those (tests/test_import_direction.py).
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import zipfile
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from django.conf import settings


def pdf_text(content: bytes, *, joined: str = "\n") -> str:
    """The text of every page of a PDF, pages joined by ``joined``."""
    pdf = pdfium.PdfDocument(io.BytesIO(bytes(content)))
    return joined.join(page.get_textpage().get_text_range() for page in pdf)


def pdf_words(content: bytes) -> str:
    """The PDF's text as words separated by single spaces (lines wrap anywhere)."""
    return " ".join(pdf_text(content, joined=" ").split())


# Reading back an XLSX written by ``iom.core.spreadsheets``: each sheet's cells as
# text, by sheet name (no spreadsheet library is installed to read them).

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


# A fresh copy of ``config/settings.py`` read under a chosen environment, loaded under
# its own module name so the settings the running tests use are left as they were.

# Every variable the meetings and case work read; cleared first, so a developer's
# own environment cannot change what a test sees.
OURS = ("IOM_MEETING_", "IOM_COMPLIANCE_", "IOM_CONFIDENTIALITY_STATEMENT", "IOM_PATHWAY_SET")


def settings_with(monkeypatch: pytest.MonkeyPatch, **variables: str) -> ModuleType:
    for name in [n for n in os.environ if n.startswith(OURS)]:
        monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "settings_under_test", Path(settings.BASE_DIR) / "config" / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
