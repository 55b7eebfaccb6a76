"""A file that cannot be read as a feed is rejected, saying what is wrong and where,
and stores nothing; the run never stays checking."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iom.feeds.models import FeedRecord, ImportRun, RunStatus
from iom.feeds.services import import_file, start_run
from iom.people.models import Nominal, OffendingEvent

pytestmark = pytest.mark.django_db

HEADER = b"record_type,pnc_id,source_record_id,record_date\n"
GOOD = b"arrest,2012/0012345A,A1,2025-06-01\n"


def _import(world, path: Path) -> ImportRun:
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    return import_file(run=run, path=path, acting_user=None, through="test")


def _assert_nothing_stored() -> None:
    assert not FeedRecord.objects.exists() and not OffendingEvent.objects.exists()


@pytest.mark.parametrize(("content", "row", "reason"), [
    (HEADER + GOOD + "arrest,2012/0012345A,Bé2,2025-06-01\n".encode("latin-1"),
     2, 'is not UTF-8 text at line 3: save it as "CSV UTF-8"'),
    ((HEADER + GOOD).decode().encode("utf-16"), 0, "is UTF-16 text, not UTF-8"),
    (b"\x00\x01\x02PK\x03\x04\x00binary\xff\x00\n" * 20, 0,
     "holds binary data at line 1: it is not a CSV file"),
    (b"\x89PNG\r\n\x1a\n", 0, "is not UTF-8 text at line 1"),
    (HEADER + GOOD + b'arrest,2012/0012345A,"A2,2025-06-01\narrest,2012/00', 2,
     "has a quote opened at line 3 that is never closed: the file may be cut short"),
    (HEADER + GOOD + b"arrest,2012/0012345A,A2,2025-06-01,extra,more\n", 2,
     "has 6 values at line 3 where the header has 4 columns"),
    (HEADER + GOOD + "arrest,2012/0012345A,A2,2025-06-0€".encode()[:-2], 2,
     "is not UTF-8 text at line 3"),
    (b"", 0, "is empty: it has no header row and no rows"),
    (b"\n  \n", 0, "is empty: it has no header row and no rows"),
    (HEADER, 0, "has a header row but no rows: nothing to import"),
], ids=["latin-1", "utf-16", "binary", "image", "cut-in-a-quote", "too-many-values",
        "cut-in-a-character", "empty", "blank-lines", "header-only"])
def test_a_csv_that_cannot_be_read_is_rejected_saying_where(world, tmp_path, content, row,
                                                            reason):
    path = tmp_path / "pnc-2025-06-02.csv"
    path.write_bytes(content)
    run = _import(world, path)
    assert run.status == RunStatus.REJECTED and run.finished_at is not None
    problems = [(p.row_number, p.column, p.reason) for p in run.problems.all()]
    assert len(problems) == 1, problems
    assert problems[0][:2] == (row, "file") and problems[0][2].startswith(reason)
    assert "nothing was imported" in run.message or run.message.startswith("The file was refused")
    _assert_nothing_stored()


def test_a_damaged_or_cut_short_parquet_file_is_rejected(world, tmp_path):
    whole = tmp_path / "whole.parquet"
    pl.DataFrame({"record_type": ["arrest"] * 500, "pnc_id": ["2012/0012345A"] * 500,
                  "source_record_id": [f"A{i}" for i in range(500)],
                  "record_date": ["2025-06-01"] * 500}).write_parquet(whole)
    cut = tmp_path / "pnc-2025-06-02.parquet"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    run = _import(world, cut)
    assert run.status == RunStatus.REJECTED
    assert run.problems.get().reason.startswith("is not a Parquet file that can be read")
    assert run.message.startswith("The file was refused: file is not a Parquet file")
    _assert_nothing_stored()


def test_many_rows_with_too_many_values_are_each_named(world, tmp_path):
    path = tmp_path / "pnc-2025-06-02.csv"
    path.write_bytes(HEADER + b"".join(f"arrest,2012/0012345A,A{i},2025-06-01,x\n".encode()
                                       for i in range(1, 4)))
    run = _import(world, path)
    assert run.status == RunStatus.REJECTED and (run.rejected, run.problem_count) == (3, 3)
    assert [p.row_number for p in run.problems.all()] == [1, 2, 3]
    assert run.message == "3 problems in 3 rows: nothing was imported."


def test_a_header_that_is_not_utf8_is_named_rather_than_a_missing_column(world, tmp_path):
    path = tmp_path / "pnc-2025-06-02.csv"
    path.write_bytes("record_type,pnc_id,source_record_id,récord_date\n".encode("latin-1")
                     + GOOD)
    run = _import(world, path)
    assert [(p.row_number, p.column) for p in run.problems.all()] == [(0, "file")]
    assert "not UTF-8 text at line 1" in run.message


def test_a_file_that_cannot_be_opened_fails_the_run_instead_of_leaving_it_checking(
        world, tmp_path):
    run = start_run(file_name="pnc-2025-06-02.csv", organisation=world.orgs["police"],
                    acting_user=None)
    with pytest.raises(FileNotFoundError):
        import_file(run=run, path=tmp_path / "gone.csv", acting_user=None, through="test")
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.finished_at is not None
    assert "nothing from this file was stored" in run.message
    assert not Nominal.objects.filter(pnc_id__isnull=False).exclude(pk=world.person.pk).exists()


def test_the_run_page_says_why_an_unreadable_upload_was_refused(client, coordinator):
    client.force_login(coordinator)
    content = (HEADER + GOOD).decode().encode("utf-16")
    upload = SimpleUploadedFile("pnc-2025-06-02.csv", content, "text/csv")
    response = client.post(reverse("feeds:upload"), {"file": upload})
    run = ImportRun.objects.get()
    assert run.status == RunStatus.REJECTED
    page = client.get(response["Location"]).content.decode()
    assert "The file could not be read as a feed file." in page
    assert "file is UTF-16 text, not UTF-8" in page and "Nothing from this file was stored" in page
    _assert_nothing_stored()


def test_the_refusal_counts_in_plain_english():
    from iom.feeds.services import _refusal

    assert _refusal([(2, "ho_code", "is not a code")], bad_rows=1, count=1) == (
        "1 problem in 1 row: nothing was imported.")
    assert _refusal([(0, "file", "is empty"), (0, "file", "x")], bad_rows=0, count=2) == (
        "The file was refused (and 1 more problem): file is empty.")
