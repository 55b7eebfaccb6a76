"""manage.py board_pack writes the PDF and the long-form CSV, or says what is wrong."""

from __future__ import annotations

import csv
import zipfile

import pytest
from django.core.management import CommandError, call_command

from iom.reporting.exports import CSV_COLUMNS

pytestmark = pytest.mark.django_db


def test_writes_the_pack(world, impact, tmp_path):
    call_command("board_pack", "--partnership", "Northshire", "--from", "2025-01-01",
                 "--to", "2026-03-31", "--out", str(tmp_path / "pack"))
    assert (tmp_path / "pack" / "board.pdf").read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(tmp_path / "pack" / "board.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        strings = book.read("xl/sharedStrings.xml").decode()
    assert len(sheets) == 1 + 13  # "About", then one sheet for each of the 13 tables
    assert "[c]" in strings and "more likely to be caught" in strings
    assert not any(p.surname in strings for p in impact.members)
    with (tmp_path / "pack" / "tables.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r["table"] for r in rows} >= {"before_after", "comparison", "did", "balance",
                                          "composition", "disproportionality", "youth"}


@pytest.mark.parametrize(("args", "message"), [
    (["--partnership", "Nowhere"], "No partnership called 'Nowhere'"),
    (["--partnership", "Northshire", "--from", "2026-01-01"], "--to must be on or after"),
    (["--partnership", "Northshire", "--from", "first of May"], "is not a date"),
])
def test_bad_arguments_are_named(world, tmp_path, args, message):
    base = {"--from": "2025-01-01", "--to": "2025-12-31", "--out": str(tmp_path)}
    given = dict(zip(args[::2], args[1::2], strict=True))
    merged = [x for k, v in {**base, **given}.items() for x in (k, v)]
    with pytest.raises(CommandError, match=message):
        call_command("board_pack", *merged)
