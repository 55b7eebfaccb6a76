"""The write pass: set-based SQL over a staging table, never a save per row.

One call runs inside the caller's transaction:
1. read the ledger of this source (id, digest, target) into Polars;
2. classify each row as new, changed or unchanged by source record id and digest,
   and, for a full snapshot, find the ledger records the file no longer carries;
3. reserve ids for the new records, then load only the new, changed and withdrawn
   rows into a temporary staging table (COPY on PostgreSQL);
4. insert, update and close the person records and the ledger from the staging
   table, copying each changed record's previous values into its history first.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from iom.people.models import CaseDate, CustodyPeriod, OffendingEvent, WantedMissing

from .models import FeedRecord, FeedRecordChange, ImportRun

TABLES = {
    "event": OffendingEvent._meta.db_table,
    "case_date": CaseDate._meta.db_table,
    "wanted": WantedMissing._meta.db_table,
    "custody": CustodyPeriod._meta.db_table,
}
# Each target's columns, as expressions over the staging table ``s``.
FIELDS: dict[str, dict[str, str]] = {
    "event": {"kind": "s.kind", "event_date": "s.record_date", "offence_date": "s.end_date",
              "ho_code": "coalesce(s.ho_code, '')", "description": "coalesce(s.description, '')",
              "disposal": "coalesce(s.disposal, '')", "sentence": "coalesce(s.sentence, '')",
              "court": "coalesce(s.court, '')"},
    "case_date": {"kind": "s.kind", "date": "s.record_date", "ho_code": "coalesce(s.ho_code, '')",
                  "description": "coalesce(s.description, '')",
                  "location": "coalesce(s.court, '')"},
    "wanted": {"kind": "s.kind", "start_date": "s.record_date", "end_date": "s.end_date",
               "reason": "coalesce(s.description, '')"},
    "custody": {"custody_type": "s.custody_type", "start_date": "s.record_date",
                "expected_release_date": "s.expected_release_date",
                "actual_release_date": "s.end_date",
                "establishment": "coalesce(s.establishment, '')"},
}
STAGE_COLUMNS = {
    "row_number": "bigint", "status": "text", "target": "text", "kind": "text",
    "record_type": "text", "source_record_id": "text", "nominal_id": "bigint",
    "target_id": "bigint", "ledger_id": "bigint", "digest": "text", "content": "text",
    "record_date": "date", "end_date": "date", "expected_release_date": "date",
    "ho_code": "text", "description": "text", "disposal": "text", "sentence": "text",
    "court": "text", "custody_type": "text", "establishment": "text",
}
LEDGER = FeedRecord._meta.db_table
HISTORY = FeedRecordChange._meta.db_table


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


class TargetChanged(Exception):
    """Rows that would move a stored record to another kind of record."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        super().__init__(f"{len(rows)} rows change the kind of a stored record")
        self.rows = rows


def store_rows(rows: pl.DataFrame, *, run: ImportRun) -> Stored:
    ledger = _ledger(run.source)
    joined = rows.join(ledger, on="source_record_id", how="left")
    moved = joined.filter(pl.col("ledger_id").is_not_null()
                          & (pl.col("ledger_target") != pl.col("target")))
    if moved.height:
        raise TargetChanged([(int(r), "record_type", "changes a stored record to another kind "
                              "(send a new source record id instead)")
                             for r in moved["row_number"].head(1000)])
    joined = joined.with_columns(
        pl.when(pl.col("ledger_id").is_null()).then(pl.lit("new"))
        .when((pl.col("ledger_digest") != pl.col("digest")) | pl.col("was_withdrawn"))
        .then(pl.lit("changed")).otherwise(pl.lit("unchanged")).alias("status"))
    written = _with_new_ids(joined.filter(pl.col("status") != "unchanged"))
    withdrawn = (ledger.join(rows.select("source_record_id"), on="source_record_id", how="anti")
                 .filter(~pl.col("was_withdrawn")) if run.full_snapshot
                 else ledger.clear())
    with connection.cursor() as cursor:
        _stage(cursor, written, withdrawn)
        written = _with_previous(cursor, written)
        _apply(cursor, run)
        cursor.execute("DROP TABLE feed_stage")
    return Stored(written=written, unchanged=joined.height - written.height,
                  withdrawn=withdrawn)


def _ledger(source: str) -> pl.DataFrame:
    sql = (f"SELECT source_record_id, id AS ledger_id, target AS ledger_target, "  # noqa: S608
           f"target_id AS ledger_target_id, digest AS ledger_digest, "
           "CASE WHEN withdrawn_by_id IS NULL THEN 0 ELSE 1 END AS was_withdrawn "
           f"FROM {LEDGER} WHERE source = %s")
    schema = {"source_record_id": pl.String, "ledger_id": pl.Int64, "ledger_target": pl.String,
              "ledger_target_id": pl.Int64, "ledger_digest": pl.String,
              "was_withdrawn": pl.Int64}
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
                    pl.col("was_withdrawn").cast(pl.Boolean))
            frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema),
                                schema_overrides=schema)
        else:
            cursor.execute(sql, [source])
            frame = pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
    return frame.with_columns(pl.col("was_withdrawn").cast(pl.Boolean))


def _reserve_ids(table: str, count: int) -> list[int]:
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, count])
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def _with_new_ids(written: pl.DataFrame) -> pl.DataFrame:
    """Give each new row the id its record and its ledger entry will have.

    PostgreSQL needs none: it takes the ids as it inserts (see ``_insert_new``).
    """
    new_mask = pl.col("status") == "new"
    if connection.vendor == "postgresql":
        return written.with_columns(
            pl.when(new_mask).then(None).otherwise(pl.col("ledger_target_id"))
            .cast(pl.Int64).alias("target_id"))
    parts = [written.filter(~new_mask).with_columns(
        pl.col("ledger_target_id").alias("target_id"))]
    for target, table in TABLES.items():
        part = written.filter(new_mask & (pl.col("target") == target))
        parts.append(part.with_columns(
            pl.Series("target_id", _reserve_ids(table, part.height), pl.Int64)))
    return pl.concat([p.with_columns(pl.col("target_id").cast(pl.Int64)) for p in parts])


def _stage(cursor: CursorWrapper, written: pl.DataFrame, withdrawn: pl.DataFrame) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGE_COLUMNS.items())
    cursor.execute("DROP TABLE IF EXISTS feed_stage")
    cursor.execute(f"CREATE TEMPORARY TABLE feed_stage ({columns})")
    gone = withdrawn.select(
        pl.lit(0, pl.Int64).alias("row_number"), pl.lit("withdrawn").alias("status"),
        pl.col("ledger_target").alias("target"), pl.col("ledger_target_id").alias("target_id"),
        "ledger_id", "source_record_id")
    frame = pl.concat([written, gone], how="diagonal_relaxed").select(
        pl.col(c) if c in written.columns else pl.lit(None).alias(c) for c in STAGE_COLUMNS)
    if frame.height == 0:
        return
    if connection.vendor == "postgresql":
        data = frame.write_csv(include_header=False, null_value="")
        names = ", ".join(STAGE_COLUMNS)
        with cursor.cursor.copy(f"COPY feed_stage ({names}) FROM STDIN WITH (FORMAT csv)") as cp:
            cp.write(data)
        cursor.execute("ANALYZE feed_stage")
        return
    marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
    cursor.executemany(f"INSERT INTO feed_stage VALUES ({marks})",  # noqa: S608
                       list(frame.iter_rows()))


def _with_previous(cursor: CursorWrapper, written: pl.DataFrame) -> pl.DataFrame:
    """Add the previous content of changed rows (read before the ledger is updated)."""
    cursor.execute(f"SELECT l.id, l.content FROM {LEDGER} l JOIN feed_stage s "  # noqa: S608
                   "ON l.id = s.ledger_id WHERE s.status = 'changed'")
    previous = pl.DataFrame(cursor.fetchall(), schema={"ledger_id": pl.Int64,
                                                       "previous_content": pl.String},
                            orient="row")
    return written.join(previous, on="ledger_id", how="left")


def _apply(cursor: CursorWrapper, run: ImportRun) -> None:
    for sql, params in _statements(run):
        cursor.execute(sql, params)


def _statements(run: ImportRun) -> list[tuple[str, list[Any]]]:
    now = timezone.now()
    provenance = {"originating_organisation_id": "%s", "source_system": "'pnc'",
                  "source_record_id": "s.source_record_id", "recorded_at": "%s",
                  "recorded_by_id": "%s"}
    prov_params = [run.organisation_id, now, run.started_by_id]
    out: list[tuple[str, list[Any]]] = []
    for target, table in TABLES.items():
        fields = {"id": "s.target_id", "nominal_id": "s.nominal_id", **FIELDS[target]}
        if target == "event":
            fields["domestic_abuse"] = "false"
        out += _insert_new(table, target, {**fields, **provenance}, prov_params, run)
        sets = ", ".join(f"{c} = {e}" for c, e in {"nominal_id": "s.nominal_id",
                                                   **FIELDS[target]}.items())
        out.append((f"UPDATE {table} SET {sets}, recorded_at = %s FROM feed_stage s "  # noqa: S608
                    f"WHERE {table}.id = s.target_id AND s.status = 'changed' "
                    "AND s.target = %s", [now, target]))
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


LEDGER_INSERT = (
    f"INSERT INTO {LEDGER} (source, source_record_id, record_type, target, "  # noqa: S608
    "target_id, nominal_id, digest, content, first_run_id, last_run_id, file_name, "
    "row_number) SELECT %s, s.source_record_id, s.record_type, s.target, {target_id}, "
    "s.nominal_id, s.digest, s.content, %s, %s, %s, s.row_number FROM feed_stage s")


def _insert_new(table: str, target: str, cols: dict[str, str], prov_params: list[Any],
                run: ImportRun) -> list[tuple[str, list[Any]]]:
    """Insert a target's new records and their ledger entries.

    PostgreSQL does both in one statement, the ledger taking each record's new id
    from RETURNING; SQLite inserts with the ids reserved beforehand.
    """
    ledger_params = [run.source, run.pk, run.pk, run.file_name]
    if connection.vendor == "postgresql":
        cols = {k: v for k, v in cols.items() if k != "id"}
        ledger = LEDGER_INSERT.format(target_id="ins.id")
        return [(f"WITH ins AS (INSERT INTO {table} ({', '.join(cols)}) SELECT "  # noqa: S608
                 f"{', '.join(cols.values())} FROM feed_stage s WHERE s.status = 'new' "
                 f"AND s.target = %s RETURNING id, source_record_id) {ledger} JOIN ins ON "
                 "ins.source_record_id = s.source_record_id WHERE s.status = 'new' "
                 "AND s.target = %s", [*prov_params, target, *ledger_params, target])]
    ledger = LEDGER_INSERT.format(target_id="s.target_id")
    return [(f"INSERT INTO {table} ({', '.join(cols)}) SELECT "  # noqa: S608
             f"{', '.join(cols.values())} FROM feed_stage s "
             "WHERE s.status = 'new' AND s.target = %s", [*prov_params, target]),
            (f"{ledger} WHERE s.status = 'new' AND s.target = %s", [*ledger_params, target])]
