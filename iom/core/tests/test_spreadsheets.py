"""The one spreadsheet writer: formula escaping, the byte-order mark, sheets, formats."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.http import Http404

from iom.core.spreadsheets import Sheet, as_csv, as_xlsx, csv_safe, download, sheet_name
from iom.core.testing import sheets


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx",
                                  "=HYPERLINK(\"http://x\")", "-", "+"])
def test_a_cell_a_spreadsheet_would_work_out_gets_an_apostrophe(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Smith", "1+1", "", "-3", "+1.50", "a=b", " =x"])
def test_other_text_and_plain_numbers_are_left_alone(text):
    assert csv_safe(text) == text


def _read(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_one_table_is_its_headers_and_rows_with_everything_escaped():
    sheet = Sheet("People", ["Name", "=Score", "Day", "Count", "Flag"],
                  [["=cmd|' /C calc'!A0", -1.5, date(2025, 6, 2), 3, True],
                   ["Zoë Ó", None, None, 0, False]], above=["Title"], notes=["A note"])
    assert _read(as_csv([sheet])) == [
        ["Name", "'=Score", "Day", "Count", "Flag"],
        ["'=cmd|' /C calc'!A0", "-1.5", "2025-06-02", "3", "yes"],
        ["Zoë Ó", "", "", "0", "no"]]


def test_several_tables_come_one_after_another_under_their_names():
    first, second = Sheet("First", ["a"], [[1]]), Sheet("@Second", ["b"], [["x"]])
    assert _read(as_csv([first, second])) == [["First"], ["a"], ["1"], [], ["'@Second"],
                                              ["b"], ["x"]]


def test_the_workbook_holds_text_as_text_numbers_as_numbers_and_the_lines():
    sheet = Sheet("People", ["Name", "Count"], [["=1+1", 3], ["Ann", None]],
                  above=["Title", "Period"], notes=["A note"])
    book = sheets(as_xlsx([sheet, Sheet("About", above=["Only lines"])]))
    assert book["People"] == [["Title", ""], ["Period", ""], ["", ""], ["Name", "Count"],
                              ["=1+1", "3"], ["Ann", ""], ["", ""], ["A note", ""]]
    assert book["About"] == [["Only lines"]]


def test_sheet_names_are_ones_excel_accepts_and_unique():
    taken: set[str] = set()
    assert sheet_name("Due: reviews [next week]", taken) == "Due  reviews  next week"
    assert sheet_name("x" * 40, taken) == "x" * 31
    assert sheet_name("X" * 40, taken) == "X" * 29 + " 2"


def test_an_unknown_format_is_a_page_that_does_not_exist():
    with pytest.raises(Http404):
        download([Sheet("a")], fmt="pdf", file_stem="a")
    response = download([Sheet("a", ["h"], [["v"]])], fmt="xlsx", file_stem="people")
    assert response["Content-Disposition"] == 'attachment; filename="people.xlsx"'
