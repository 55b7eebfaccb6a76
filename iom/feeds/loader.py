"""The write pass: bulk loads from Polars and set-based SQL, never a save per row.

One call runs inside the caller's transaction:
1. read the ledger of this source (id, digest, target) into Polars, refusing the
   file if a row names a record of another partnership's people, and keeping only
   the partnership's own records;
2. classify each row as new, changed or unchanged by source record id and digest,
   and, for a full snapshot, find the ledger records the file no longer carries;
3. new rows: reserve their ids in one block per table, then load the person
   records and their ledger entries straight from the frame (COPY on PostgreSQL),
   each sorted in the order of the index that costs most to keep;
4. changed and withdrawn rows: load them into a temporary staging table, then
   update and close the person records and the ledger from it, copying each
   changed record's previous values into its history first.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from iom.people.models import (
    CaseDate,
    CategorySource,
    CustodyPeriod,
    Nominal,
    OffendingEvent,
    WantedMissing,
)

from .models import FeedRecord, FeedRecordChange, ImportRun
from .progress import Progress

TABLES = {
    "event": OffendingEvent._meta.db_table,
    "case_date": CaseDate._meta.db_table,
    "wanted": WantedMissing._meta.db_table,
    "custody": CustodyPeriod._meta.db_table,
}
# Each target's columns: the staging column it takes, and whether a missing value
# is stored as a blank (the people app's text columns are not nullable).
FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "event": {"kind": ("kind", False), "event_date": ("record_date", False),
              "offence_date": ("end_date", False), "ho_code": ("ho_code", True),
              "description": ("description", True), "disposal": ("disposal", True),
              "sentence": ("sentence", True), "court": ("court", True)},
    "case_date": {"kind": ("kind", False), "date": ("record_date", False),
                  "ho_code": ("ho_code", True), "description": ("description", True),
                  "location": ("court", True)},
    "wanted": {"kind": ("kind", False), "start_date": ("record_date", False),
               "end_date": ("end_date", False), "reason": ("description", True)},
    "custody": {"custody_type": ("custody_type", False), "start_date": ("record_date", False),
                "expected_release_date": ("expected_release_date", False),
                "actual_release_date": ("end_date", False),
                "establishment": ("establishment", True)},
}
STAGE_COLUMNS = {
    "row_number": "bigint", "status": "text", "target": "text", "kind": "text",
    "record_type": "text", "source_record_id": "text", "nominal_id": "bigint",
    "target_id": "bigint", "ledger_id": "bigint", "digest": "text", "content": "text",
    "record_date": "date", "end_date": "date", "expected_release_date": "date",
    "ho_code": "text", "description": "text", "disposal": "text", "sentence": "text",
    "court": "text", "custody_type": "text", "establishment": "text", "ogrs3_category": "text",
    "sentence_length_days": "bigint",
}
LEDGER = FeedRecord._meta.db_table
PEOPLE = Nominal._meta.db_table
HISTORY = FeedRecordChange._meta.db_table
LEDGER_COLUMNS = ("source", "source_record_id", "record_type", "target", "target_id",
                  "nominal_id", "digest", "content", "first_run_id", "last_run_id",
                  "file_name", "row_number")


def _sql_field(column: str, blank: bool) -> str:
    return f"coalesce(s.{column}, '')" if blank else f"s.{column}"


def _frame_field(column: str, blank: bool) -> pl.Expr:
    return pl.col(column).fill_null("") if blank else pl.col(column)


@dataclass
class Stored:
    """What a file changed: the rows written, for alerts and the access log."""

    written: pl.DataFrame  # new and changed rows, with status, target_id and previous content
    unchanged: int
    withdrawn: pl.DataFrame  # ledger rows a full snapshot no longer carries

    @property
    def new(self) -> int:
        return self.written.filter(pl.col("status") == "new").height

    @property
    def changed(self) -> int:
        return self.written.filter(pl.col("status") == "changed").height


class RowsRefused(Exception):
    """Rows found while storing that refuse the file: (row, column, reason) each."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        super().__init__(f"{len(rows)} rows refused while storing")
        self.rows = rows


class TargetChanged(RowsRefused):
    """Rows that would move a stored record to another kind of record."""


class RecordHeldElsewhere(RowsRefused):
    """Rows whose source record id is another partnership's record.

    Source record ids are unique per source across the system, so the row can be
    neither stored as new nor allowed to change (or move) that partnership's record.
    The reason is the same for every such row and names nobody.
    """


ELSEWHERE_REASON = ("cannot be used in this partnership (the id is already in use); send "
                    "a new source record id or ask your system administrator")


def store_rows(rows: pl.DataFrame, *, run: ImportRun,
               progress: Progress | None = None) -> Stored:
    progress = progress or Progress(run)
    ledger = _ledger(run.source, run.partnership_id)
    _refuse_records_held_elsewhere(rows, ledger)
    ledger = ledger.filter(pl.col("ours")).drop("ours")
    joined = _classify(rows, ledger)
    changed = joined.filter(pl.col("status") == "changed").with_columns(
        pl.col("ledger_target_id").alias("target_id"))
    withdrawn = (ledger.join(rows.select("source_record_id"), on="source_record_id", how="anti")
                 .filter(~pl.col("was_withdrawn")) if run.full_snapshot
                 else ledger.clear())
    new_rows = joined.filter(pl.col("status") == "new")
    staged = changed.height + withdrawn.height
    progress.expect(joined.height + new_rows.height + withdrawn.height)
    progress.advance(joined.height - new_rows.height - changed.height)  # unchanged: no work
    with connection.cursor() as cursor:
        new = _copy_new(cursor, new_rows, run, progress)
        if staged:
            _stage(cursor, changed, withdrawn)
            changed = _with_previous(cursor, changed)
            _apply(cursor, run)
            cursor.execute("DROP TABLE feed_stage")
            progress.advance(staged)
    written = pl.concat([new, changed], how="diagonal_relaxed")
    return Stored(written=written, unchanged=joined.height - written.height,
                  withdrawn=withdrawn)


def _refuse_records_held_elsewhere(rows: pl.DataFrame, ledger: pl.DataFrame) -> None:
    theirs = rows.join(ledger.filter(~pl.col("ours")), on="source_record_id", how="semi")
    if theirs.height:
        raise RecordHeldElsewhere([(int(r), "source_record_id", ELSEWHERE_REASON)
                                   for r in theirs["row_number"].sort().head(1000)])


def _classify(rows: pl.DataFrame, ledger: pl.DataFrame) -> pl.DataFrame:
    """Each row with its ledger entry, if any, and its status: new, changed or unchanged."""
    joined = rows.join(ledger, on="source_record_id", how="left")
    moved = joined.filter(pl.col("ledger_id").is_not_null()
                          & (pl.col("ledger_target") != pl.col("target")))
    if moved.height:
        raise TargetChanged([(int(r), "record_type", "changes a stored record to another kind "
                              "(send a new source record id instead)")
                             for r in moved["row_number"].head(1000)])
    return joined.with_columns(
        pl.when(pl.col("ledger_id").is_null()).then(pl.lit("new"))
        .when((pl.col("ledger_digest") != pl.col("digest")) | pl.col("was_withdrawn"))
        .then(pl.lit("changed")).otherwise(pl.lit("unchanged")).alias("status"))


def _ledger(source: str, partnership_id: int) -> pl.DataFrame:
    """The source's ledger, each entry marked ``ours`` when its person is the partnership's.

    Only our entries are classified and withdrawn; the others are read only to refuse
    a row that names one of them (``RecordHeldElsewhere``).
    """
    sql = (f"SELECT l.source_record_id, l.id AS ledger_id, l.target AS ledger_target, "  # noqa: S608
           f"l.target_id AS ledger_target_id, l.digest AS ledger_digest, "
           "CASE WHEN l.withdrawn_by_id IS NULL THEN 0 ELSE 1 END AS was_withdrawn, "
           f"CASE WHEN n.id IS NULL OR n.partnership_id = {int(partnership_id)} THEN 1 ELSE 0 "
           f"END AS ours FROM {LEDGER} l LEFT JOIN {PEOPLE} n ON n.id = l.nominal_id "
           "WHERE l.source = %s")
    schema = {"source_record_id": pl.String, "ledger_id": pl.Int64, "ledger_target": pl.String,
              "ledger_target_id": pl.Int64, "ledger_digest": pl.String,
              "was_withdrawn": pl.Int64, "ours": pl.Int64}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            copy_sql = sql.replace("%s", "'" + source.replace("'", "''") + "'")
            with cursor.cursor.copy(f"COPY ({copy_sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
            buffer.seek(0)
            if not buffer.getbuffer().nbytes:
                return pl.DataFrame(schema=schema).with_columns(
                    pl.col("was_withdrawn", "ours").cast(pl.Boolean))
            frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema),
                                schema_overrides=schema)
        else:
            cursor.execute(sql, [source])
            frame = pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
    return frame.with_columns(pl.col("was_withdrawn", "ours").cast(pl.Boolean))


def _reserve_ids(table: str, count: int) -> list[int]:
    """Take ``count`` ids from the table's sequence (or past its largest id on SQLite).

    PostgreSQL hands them out one by one, so the block is contiguous unless another
    session took ids at the same moment; only then are they all read back.
    """
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            taken = ("SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS id "
                     "FROM generate_series(1, %s)")
            cursor.execute(f"SELECT min(id), max(id) FROM ({taken}) t", [table, count])  # noqa: S608
            low, high = cursor.fetchone()
            if high - low + 1 == count:
                return list(range(low, high + 1))
            cursor.execute(f"SELECT id FROM ({taken}) t", [table, count])  # noqa: S608
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def _copy_new(cursor: CursorWrapper, new: pl.DataFrame, run: ImportRun,
              progress: Progress) -> pl.DataFrame:
    """Load the new records and their ledger entries; return the rows with their ids.

    Person records go in ordered by person and date, the order of the index that
    costs most to keep; ledger entries by source record id, their unique key.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    parts = []
    for target, table in TABLES.items():
        part = new.filter(pl.col("target") == target).sort("nominal_id", "record_date")
        part = part.with_columns(
            pl.Series("target_id", _reserve_ids(table, part.height), pl.Int64))
        _load(cursor, table, _record_frame(part, target, run, now), progress)
        parts.append(part)
    loaded = pl.concat(parts)
    _load(cursor, LEDGER, loaded.sort("source_record_id").select(
        pl.lit(run.source).alias("source"), *LEDGER_COLUMNS[1:8],
        pl.lit(run.pk).alias("first_run_id"), pl.lit(run.pk).alias("last_run_id"),
        pl.lit(run.file_name).alias("file_name"), "row_number"), progress)
    return loaded


def _category_provenance(run: ImportRun, now: object) -> list[pl.Expr]:
    """A conviction's exact OGRS 3 category from the feed, marked as the feed's and kept
    with who ran the import and when; blank where the row gives none."""
    given = pl.col("ogrs3_category").is_not_null()
    return [
        pl.col("ogrs3_category").fill_null(""),
        pl.when(given).then(pl.lit(CategorySource.FEED)).otherwise(pl.lit(""))
        .alias("ogrs3_category_source"),
        pl.when(given).then(pl.lit(str(now))).alias("ogrs3_category_set_at"),
        pl.when(given).then(pl.lit(run.started_by_id, pl.Int64))
        .alias("ogrs3_category_set_by_id"),
    ]


def _record_frame(part: pl.DataFrame, target: str, run: ImportRun, now: object) -> pl.DataFrame:
    extra = ([pl.lit(False).alias("domestic_abuse"), *_category_provenance(run, now)]
             if target == "event" else
             [pl.col("sentence_length_days")] if target == "custody" else [])
    return part.select(
        pl.col("target_id").alias("id"), "nominal_id",
        *(_frame_field(column, blank).alias(name)
          for name, (column, blank) in FIELDS[target].items()),
        *extra,
        pl.lit(run.organisation_id, pl.Int64).alias("originating_organisation_id"),
        pl.lit("pnc").alias("source_system"), "source_record_id",
        pl.lit(str(now)).alias("recorded_at"),
        pl.lit(run.started_by_id, pl.Int64).alias("recorded_by_id"))


def _load(cursor: CursorWrapper, table: str, frame: pl.DataFrame,
          progress: Progress | None = None) -> None:
    """Append a frame's rows to a table: COPY on PostgreSQL, batched INSERTs elsewhere.

    The rows go in blocks of ``progress.every`` (one COPY still), counting each block.
    """
    if frame.height == 0:
        return
    names = ", ".join(frame.columns)
    block = progress.every if progress else frame.height
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as cp:
            for part in frame.iter_slices(block):
                cp.write(part.write_csv(include_header=False, null_value=""))
                if progress:
                    progress.advance(part.height)
        return
    marks = ", ".join(["%s"] * frame.width)
    for part in frame.iter_slices(block):
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                           list(part.iter_rows()))
        if progress:
            progress.advance(part.height)


def _stage(cursor: CursorWrapper, changed: pl.DataFrame, withdrawn: pl.DataFrame) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGE_COLUMNS.items())
    cursor.execute("DROP TABLE IF EXISTS feed_stage")
    cursor.execute(f"CREATE TEMPORARY TABLE feed_stage ({columns})")
    gone = withdrawn.select(
        pl.lit(0, pl.Int64).alias("row_number"), pl.lit("withdrawn").alias("status"),
        pl.col("ledger_target").alias("target"), pl.col("ledger_target_id").alias("target_id"),
        "ledger_id", "source_record_id")
    frame = pl.concat([changed, gone], how="diagonal_relaxed").select(
        pl.col(c) if c in changed.columns else pl.lit(None).alias(c) for c in STAGE_COLUMNS)
    _load(cursor, "feed_stage", frame)
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE feed_stage")


def _with_previous(cursor: CursorWrapper, changed: pl.DataFrame) -> pl.DataFrame:
    """Add the previous content of changed rows (read before the ledger is updated)."""
    cursor.execute(f"SELECT l.id, l.content FROM {LEDGER} l JOIN feed_stage s "  # noqa: S608
                   "ON l.id = s.ledger_id WHERE s.status = 'changed'")
    previous = pl.DataFrame(cursor.fetchall(), schema={"ledger_id": pl.Int64,
                                                       "previous_content": pl.String},
                            orient="row")
    return changed.join(previous, on="ledger_id", how="left")


def _apply(cursor: CursorWrapper, run: ImportRun) -> None:
    for sql, params in _statements(run):
        cursor.execute(sql, params)


def _statements(run: ImportRun) -> list[tuple[str, list[Any]]]:
    now = timezone.now()
    out: list[tuple[str, list[Any]]] = []
    for target, table in TABLES.items():
        fields = {name: _sql_field(column, blank)
                  for name, (column, blank) in FIELDS[target].items()}
        sets = ", ".join(f"{c} = {e}" for c, e in {"nominal_id": "s.nominal_id",
                                                   **fields}.items())
        out.append((f"UPDATE {table} SET {sets}, recorded_at = %s FROM feed_stage s "  # noqa: S608
                    f"WHERE {table}.id = s.target_id AND s.status = 'changed' "
                    "AND s.target = %s", [now, target]))
    # A changed row that gives no category leaves the one recorded (perhaps by a user).
    out.append((f"UPDATE {TABLES['event']} SET ogrs3_category = s.ogrs3_category, "  # noqa: S608
                "ogrs3_category_source = %s, ogrs3_category_set_at = %s, "
                f"ogrs3_category_set_by_id = %s FROM feed_stage s WHERE {TABLES['event']}.id = "
                "s.target_id AND s.status = 'changed' AND s.target = 'event' "
                f"AND s.ogrs3_category IS NOT NULL "
                f"AND {TABLES['event']}.ogrs3_category <> s.ogrs3_category",
                [CategorySource.FEED, now, run.started_by_id]))
    # Likewise a sentence's length: a changed row that gives none keeps the one recorded.
    out.append((f"UPDATE {TABLES['custody']} SET sentence_length_days = "  # noqa: S608
                f"s.sentence_length_days FROM feed_stage s WHERE {TABLES['custody']}.id = "
                "s.target_id AND s.status = 'changed' AND s.target = 'custody' "
                "AND s.sentence_length_days IS NOT NULL", []))
    out += _ledger_statements(run)
    out.append((f"UPDATE {TABLES['wanted']} SET end_date = %s FROM feed_stage s "  # noqa: S608
                f"WHERE {TABLES['wanted']}.id = s.target_id AND s.status = 'withdrawn' "
                f"AND s.target = 'wanted' AND {TABLES['wanted']}.end_date IS NULL",
                [run.feed_date]))
    return out


def _ledger_statements(run: ImportRun) -> list[tuple[str, list[Any]]]:
    return [
        (f"INSERT INTO {HISTORY} (record_id, run_id, row_number, previous_content, "  # noqa: S608
         f"previous_run_id) SELECT l.id, %s, s.row_number, l.content, l.last_run_id "
         f"FROM {LEDGER} l JOIN feed_stage s ON l.id = s.ledger_id WHERE s.status = 'changed'",
         [run.pk]),
        (f"UPDATE {LEDGER} SET digest = s.digest, content = s.content, "  # noqa: S608
         "record_type = s.record_type, nominal_id = s.nominal_id, last_run_id = %s, "
         "file_name = %s, row_number = s.row_number, withdrawn_by_id = NULL FROM feed_stage s "
         f"WHERE {LEDGER}.id = s.ledger_id AND s.status = 'changed'", [run.pk, run.file_name]),
        (f"UPDATE {LEDGER} SET withdrawn_by_id = %s FROM feed_stage s "  # noqa: S608
         f"WHERE {LEDGER}.id = s.ledger_id AND s.status = 'withdrawn'", [run.pk]),
    ]
