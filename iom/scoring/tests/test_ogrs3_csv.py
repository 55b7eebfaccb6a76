"""`python manage.py ogrs3 INPUT.csv OUTPUT.csv`, the OGRS 3 batch form for analysts.

Expected figures are hand-worked cases of test_ogrs3_reference.py (from
reference/ogrs3.md, "The calculation").
"""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from iom.scoring.engine.ogrs3_csv import Ogrs3CsvError, score_ogrs3_csv

HEADER = ("person_ref,gender,date_of_birth,date_of_current_conviction,"
          "date_at_start_of_followup,total_number_of_sanctions,age_at_first_sanction,"
          "offence_category,offence_code,note\n")
# Male, 33, 5 sanctions, first at 15, domestic burglary: 15 % and 26 %, low.
BURGLARY = "A1,M,1991-01-01,2024-06-01,2024-07-01,5,15,burglary_domestic,,keep me\n"
# The same person by Home Office code 28E (residential burglary -> burglary_domestic).
BURGLARY_BY_CODE = "A2,M,1991-01-01,2024-06-01,2024-07-01,5,15,,28E,\n"
# Male, 20, 30 sanctions, first at 12, theft (non-motor): 93 % and 96 %, very high.
THEFT = "A3,M,2004-01-01,2024-06-01,2024-07-01,30,12,theft_non_motor,,\"a, quoted, note\"\n"
BAD_SANCTIONS = "B1,F,1990-01-01,2024-06-01,2024-07-01,0,15,violence,,\n"
BAD_DATE = "B2,F,1990-13-01,2024-06-01,2024-07-01,2,15,violence,,\n"


def run(tmp_path: Path, text: str, encoding: str = "utf-8") -> list[dict[str, str]]:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(text, encoding=encoding)
    call_command("ogrs3", str(source), str(target), stdout=StringIO())
    with target.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_good_rows_are_scored(tmp_path: Path) -> None:
    rows = run(tmp_path, HEADER + BURGLARY + THEFT)
    first, second = rows
    assert float(first["ogrs3_1y"]) == pytest.approx(0.149352272114, abs=1e-12)
    assert float(first["ogrs3_2y"]) == pytest.approx(0.264920857432, abs=1e-12)
    assert (first["ogrs3_1y_percent"], first["ogrs3_2y_percent"], first["band"]) == (
        "15", "26", "low")
    assert (second["ogrs3_1y_percent"], second["ogrs3_2y_percent"], second["band"]) == (
        "93", "96", "very_high")
    assert first["error"] == second["error"] == ""


def test_probabilities_are_written_at_full_precision(tmp_path: Path) -> None:
    (row,) = run(tmp_path, HEADER + BURGLARY)
    # repr of a float: reads back to exactly the same number, no digits lost.
    assert len(row["ogrs3_1y"].split(".")[1]) >= 15


def test_other_columns_pass_through_unchanged_and_in_order(tmp_path: Path) -> None:
    rows = run(tmp_path, HEADER + BURGLARY + THEFT)
    assert list(rows[0]) == [*HEADER.strip().split(","), "ogrs3_1y", "ogrs3_2y",
                             "ogrs3_1y_percent", "ogrs3_2y_percent", "band", "error"]
    assert (rows[0]["person_ref"], rows[0]["note"]) == ("A1", "keep me")
    assert rows[1]["note"] == "a, quoted, note"
    assert rows[0]["date_of_birth"] == "1991-01-01"


def test_offence_code_is_mapped_to_its_category(tmp_path: Path) -> None:
    by_category, by_code = run(tmp_path, HEADER + BURGLARY + BURGLARY_BY_CODE)
    assert by_code["error"] == ""
    assert by_code["ogrs3_1y"] == by_category["ogrs3_1y"]
    assert by_code["ogrs3_2y_percent"] == "26"


def test_offence_code_alone_is_enough(tmp_path: Path) -> None:
    header = ("gender,date_of_birth,date_of_current_conviction,date_at_start_of_followup,"
              "total_number_of_sanctions,age_at_first_sanction,offence_code\n")
    (row,) = run(tmp_path, header + "M,1991-01-01,2024-06-01,2024-07-01,5,15,28E\n")
    assert (row["ogrs3_2y_percent"], row["error"]) == ("26", "")


def test_a_bad_row_does_not_stop_the_others(tmp_path: Path) -> None:
    rows = run(tmp_path, HEADER + BAD_SANCTIONS + BURGLARY + BAD_DATE + THEFT)
    assert [r["person_ref"] for r in rows] == ["B1", "A1", "B2", "A3"]
    assert rows[0]["error"].startswith("TOTAL_SANCTIONS_BELOW_ONE")
    assert rows[2]["error"].startswith("INVALID_VALUE")
    assert "date_of_birth" in rows[2]["error"]
    for bad in (rows[0], rows[2]):
        assert bad["ogrs3_1y"] == bad["ogrs3_2y_percent"] == bad["band"] == ""
    assert rows[1]["ogrs3_2y_percent"] == "26" and rows[3]["ogrs3_2y_percent"] == "96"


@pytest.mark.parametrize(("line", "code"), [
    ("C1,M,1991-01-01,2024-06-01,2024-07-01,5,15,,999Z,\n", "OFFENCE_CODE_NOT_MAPPED"),
    ("C2,M,1991-01-01,2024-06-01,2024-07-01,5,15,burglary,,\n", "UNKNOWN_OFFENCE_CATEGORY"),
    ("C3,M,1991-01-01,2024-06-01,2024-07-01,five,15,violence,,\n", "INVALID_VALUE"),
    ("C4,,1991-01-01,2024-06-01,2024-07-01,5,15,violence,,\n", "MISSING_INPUT"),
    ("C5,M,2024-07-01,2024-06-01,2024-07-01,5,15,violence,,\n",
     "CONVICTION_DATE_NOT_AFTER_BIRTH"),
    ("C6,M,1991-01-01,2024-06-01,2024-07-01,-2,15,violence,,\n", "TOTAL_SANCTIONS_BELOW_ONE"),
])
def test_each_bad_row_names_its_error(tmp_path: Path, line: str, code: str) -> None:
    (row,) = run(tmp_path, HEADER + line)
    assert row["error"].startswith(code)


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(HEADER.replace("age_at_first_sanction,", "") + "x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="age_at_first_sanction"):
        call_command("ogrs3", str(source), str(tmp_path / "out.csv"), stdout=StringIO())


def test_missing_offence_columns_are_named(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    header = HEADER.replace("offence_category,offence_code,", "")
    source.write_text(header, encoding="utf-8")
    with pytest.raises(Ogrs3CsvError, match="offence_category or offence_code"):
        score_ogrs3_csv(source, tmp_path / "out.csv")


def test_missing_input_file_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("ogrs3", str(tmp_path / "absent.csv"), str(tmp_path / "out.csv"))


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    rows = run(tmp_path, HEADER + BURGLARY, encoding="utf-8-sig")
    assert (rows[0]["person_ref"], rows[0]["ogrs3_2y_percent"]) == ("A1", "26")
    assert (tmp_path / "in.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_summary_counts_scored_rows_and_errors(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(HEADER + BAD_SANCTIONS + BURGLARY + THEFT, encoding="utf-8")
    summary = score_ogrs3_csv(source, tmp_path / "out.csv")
    assert (summary.rows, summary.scored) == (3, 2)
    assert summary.errors == {"TOTAL_SANCTIONS_BELOW_ONE": 1}
