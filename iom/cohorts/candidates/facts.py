"""The facts the selection rules need, for many people at once, as Polars frames.

Every read is one grouped query over the people asked about (a subquery, so
the access policy's scoping stays in the database), fetched straight from the
cursor: no per-person Python and no model instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from iom.cohorts.policy.rules import add_months
from iom.cohorts.policy.schemes import SCORES, Rule
from iom.core.words import long_date
from iom.people.models import (
    CustodyPeriod,
    CustodyType,
    Nominal,
    OffendingEvent,
    OrderLicence,
    ProtectionKind,
    PublicProtection,
)
from iom.scoring.batch import score_tables
from iom.scoring.models import SUMMARY_FIELDS, ScoreRun
from iom.scoring.selectors import (
    run_has_summary,
    run_scores_pivoted,
    run_scores_summarised,
    tables_from_db,
)

# A nightly run older than this is not used for an as-at date; the people are scored afresh.
SCORE_MAX_AGE_DAYS = 35
# Custody is looked at this far back when stretching "months at liberty" windows.
CUSTODY_LOOKBACK_YEARS = 15
PEOPLE_SCHEMA = {"person_id": pl.Int64, "pnc_id": pl.String, "forename": pl.String,
                 "surname": pl.String, "date_of_birth": pl.Date}
# Batch-scorer columns for each score: (value, band).
LIVE_COLUMNS = {"ogrs3": ("ogrs3_2y_percent", "ogrs3_band"), "crime_severity": ("css", "css_band"),
                "iom_matrix": ("matrix", "matrix_band"),
                "risk_of_reoffending": ("risk", "risk_grade"),
                "emerging_threat": ("emerging_rise", "emerging_band")}


def frame(sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Rows of a query as a frame; dates and booleans arrive as text or numbers on SQLite."""
    if connection.vendor == "postgresql":
        return _copied(sql, params, schema)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return pl.DataFrame(schema=schema)
    raw = pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)
    return raw.with_columns(_cast(name, dtype, raw.schema[name]) for name, dtype in schema.items())


def _copied(sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The query's rows through COPY as CSV, parsed by Polars: no Python object per value.

    Fetching row by row made a tuple and a Python value for every cell, which
    cost more than the queries themselves for a whole force (docs/benchmarks.md).
    NULL is written as \\N so that an empty string stays an empty string.
    """
    buffer = bytearray()
    with connection.cursor() as cursor:
        copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, NULL '\\N')"
        with cursor.cursor.copy(copy_sql, params) as copy:
            for block in copy:
                buffer += block
    if not buffer:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(bytes(buffer), has_header=False, schema=schema, null_values="\\N",
                       empty_string_is_null=False)


def _cast(name: str, dtype: Any, found: Any) -> pl.Expr:
    if dtype == pl.Date and found == pl.String:
        return pl.col(name).str.slice(0, 10).str.to_date()
    return pl.col(name).cast(dtype)


def _compiled(qs: QuerySet[Any]) -> tuple[str, Sequence[Any]] | None:
    """The query's SQL and parameters; None when it can match nothing (a user who may
    see no one)."""
    try:
        return qs.query.sql_with_params()
    except EmptyResultSet:
        return None


def query_frame(qs: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    compiled = _compiled(qs)
    if compiled is None:
        return pl.DataFrame(schema=schema)
    return frame(*compiled, schema)


def id_frame(people: QuerySet[Nominal]) -> pl.DataFrame:
    """person_id of each person in the query. On PostgreSQL one array in one row: about
    twice as fast as a row per person for a whole force (docs/benchmarks.md)."""
    qs = people.order_by().values_list("pk")
    schema = {"person_id": pl.Int64}
    compiled = _compiled(qs)
    if compiled is None:
        return pl.DataFrame(schema=schema)
    if connection.vendor != "postgresql":
        return frame(*compiled, schema)
    sql, params = compiled
    with connection.cursor() as cursor:
        # ``sql`` is the ORM's own compiled query; every value stays a bound parameter.
        cursor.execute(f"SELECT array_agg(t.pk) FROM ({sql}) AS t", params)  # noqa: S608
        found = cursor.fetchone()[0]
    return pl.DataFrame({"person_id": found or []}, schema=schema)


def people_frame(people: QuerySet[Nominal]) -> pl.DataFrame:
    qs = people.order_by().values_list("pk", "pnc_id", "forename", "surname", "date_of_birth")
    return query_frame(qs, PEOPLE_SCHEMA)


def known_by(as_at: date) -> datetime:
    """The first moment after the as-at day: records made later are not known then."""
    return timezone.make_aware(datetime.combine(as_at + timedelta(days=1), time.min))


# Scores -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreSource:
    run: ScoreRun | None
    scored_afresh: int

    def describe(self, as_at: date) -> str:
        parts = []
        if self.run is not None:
            parts.append(f"stored scores from the {self.run.kind} run as at "
                         f"{long_date(self.run.as_at)}")
        if self.scored_afresh:
            people = "person" if self.scored_afresh == 1 else "people"
            parts.append(f"{self.scored_afresh:,} {people} scored afresh as at "
                         f"{long_date(as_at)}")
        return "; ".join(parts) or "no one to score"


def score_frame(people: QuerySet[Nominal], ids: pl.Series, as_at: date
                ) -> tuple[pl.DataFrame, ScoreSource]:
    """score_<name>, band_<name>, scored_as_at and scored_afresh per person.

    1. Take the newest finished scoring run as at the date (at most 35 days old).
    2. Anyone it does not cover is scored now by the batch scorers.
    """
    run = score_run_for(as_at)
    stored = _stored(people, run) if run is not None else _empty_scores()
    missing = ids.filter(~ids.is_in(stored["person_id"].implode()))
    live = _live(missing, as_at) if missing.len() else _empty_scores()
    scores = pl.concat([stored.with_columns(scored_afresh=pl.lit(False)),
                        live.with_columns(scored_afresh=pl.lit(True))])
    return scores, ScoreSource(run, missing.len())


def score_run_for(as_at: date) -> ScoreRun | None:
    """The newest finished scoring run as at the date, if at most 35 days old."""
    return (ScoreRun.objects.filter(as_at__lte=as_at, finished_at__isnull=False,
                                    as_at__gt=as_at - timedelta(days=SCORE_MAX_AGE_DAYS))
            .order_by("-as_at", "-started_at").first())


def _score_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {"person_id": pl.Int64}
    for name in SCORES:
        schema[f"score_{name}"] = pl.Float64
        schema[f"band_{name}"] = pl.String
    return {**schema, "scored_as_at": pl.Date}


def _empty_scores() -> pl.DataFrame:
    return pl.DataFrame(schema=_score_schema())


def _stored(people: QuerySet[Nominal], run: ScoreRun) -> pl.DataFrame:
    """One row per person: from the run's summary when it has one, else grouped from its scores.

    The summary is written with the run (iom/scoring), so a whole force is one
    narrow row per person instead of five rows grouped on every call; runs
    stored before summaries existed are still read by grouping.
    """
    ids = people.values("pk")
    if run_has_summary(run):
        return _stored_rows(run_scores_summarised(run, ids), pl.Float64)
    return _stored_rows(run_scores_pivoted(run, ids), pl.String)


def _stored_rows(qs: QuerySet[Any], ogrs3: Any) -> pl.DataFrame:
    """Rows of ``run_scores_*`` as score_<name> and band_<name> columns.

    OGRS 3 is judged on its whole 2-year percent; grouped from the scores it
    arrives as JSON text (``ogrs3`` is then String) and is read as a number.
    """
    schema: dict[str, Any] = {"person_id": pl.Int64, "scored_as_at": pl.Date}
    for name in SUMMARY_FIELDS:
        schema[f"score_{name}"] = ogrs3 if name == "ogrs3" else pl.Float64
        schema[f"band_{name}"] = pl.String
    rows = query_frame(qs, schema)
    if rows.is_empty():
        return _empty_scores()
    return _complete(rows.with_columns(pl.col("score_ogrs3").cast(pl.Float64, strict=False)))


def _complete(wide: pl.DataFrame) -> pl.DataFrame:
    schema = _score_schema()
    return wide.with_columns(
        pl.lit(None, dtype).alias(name) for name, dtype in schema.items()
        if name not in wide.columns).select(pl.col(n).cast(t) for n, t in schema.items())


def _live(missing: pl.Series, as_at: date) -> pl.DataFrame:
    tables = tables_from_db(Nominal.objects.filter(pk__in=missing.to_list()))
    scored = score_tables(tables.people, tables.events, tables.custody, tables.intelligence,
                          as_at=as_at)
    columns = [pl.col("person_id")]
    for name, (value, band) in LIVE_COLUMNS.items():
        columns += [pl.col(value).cast(pl.Float64).alias(f"score_{name}"),
                    pl.col(band).cast(pl.String).alias(f"band_{name}")]
    return _complete(scored.select(*columns, pl.lit(as_at).alias("scored_as_at")))


# Offences, custody, public protection and orders ------------------------------------


def offence_signature(rule: Rule) -> str:
    """One column per distinct offence test, shared by rules (and policies) that agree."""
    return "|".join((",".join(sorted(rule.events)), ",".join(sorted(rule.codes)),
                     str(rule.domestic_abuse), rule.dated_by))


def offence_frame(people: QuerySet[Nominal], rules: Iterable[Rule], as_at: date,
                  columns: dict[str, str]) -> pl.DataFrame:
    """The latest matching offence date per person for each offence test (column per test)."""
    wanted = {offence_signature(r): r for r in rules}
    if not wanted:
        return pl.DataFrame(schema={"person_id": pl.Int64})
    kinds = sorted({k for r in wanted.values() for k in r.events})
    aggregates = {columns[sig]: Max(_dated(r), filter=_matches(r)) for sig, r in wanted.items()}
    qs = (OffendingEvent.objects.filter(nominal_id__in=people.values("pk"), kind__in=kinds,
                                        event_date__lte=as_at, recorded_at__lt=known_by(as_at))
          .order_by().values("nominal_id").annotate(**aggregates)
          .values_list("nominal_id", *aggregates))
    return query_frame(qs, {"person_id": pl.Int64, **dict.fromkeys(aggregates, pl.Date)})


def _dated(rule: Rule) -> Any:
    return Coalesce("offence_date", "event_date") if rule.dated_by == "offence" else "event_date"


def _matches(rule: Rule) -> Q:
    codes = Q(ho_code__in=rule.codes) if rule.codes else Q()
    if rule.domestic_abuse:
        codes = (codes | Q(domestic_abuse=True)) if rule.codes else Q(domestic_abuse=True)
    return Q(kind__in=rule.events) & codes


def custody_frame(people: QuerySet[Nominal], as_at: date, months: int | None = None
                  ) -> pl.DataFrame:
    """Custody spells (remand and sentence) that may fall inside a window.

    With ``months`` (the longest window), only the spells of people with some
    custody in the plain window of that length are read: anyone else's
    windows are never moved back (liberty.py), so their spells are not needed.
    """
    earliest = as_at.replace(year=as_at.year - CUSTODY_LOOKBACK_YEARS, day=min(as_at.day, 28))
    qs = (CustodyPeriod.objects.filter(nominal_id__in=people.values("pk"), start_date__lte=as_at)
          .filter(Q(actual_release_date__isnull=True) | Q(actual_release_date__gt=earliest)))
    if months is not None:
        qs = qs.filter(Exists(_custody_after(add_months(as_at, -months), as_at)))
    return query_frame(qs.order_by().values_list("nominal_id", "start_date",
                                                 "actual_release_date"),
                       {"person_id": pl.Int64, "start_date": pl.Date, "release_date": pl.Date})


def _custody_after(plain: date, as_at: date) -> QuerySet[CustodyPeriod]:
    """The person's spells with a day in custody after ``plain`` (a superset is harmless)."""
    return CustodyPeriod.objects.filter(
        Q(actual_release_date__isnull=True) | Q(actual_release_date__gt=plain),
        nominal_id=OuterRef("nominal_id"), start_date__lte=as_at)


def protection_frame(people: QuerySet[Nominal], as_at: date) -> pl.DataFrame:
    """The highest current MAPPA level and whether sex-offender registration is current."""
    qs = (PublicProtection.objects.filter(nominal_id__in=people.values("pk"),
                                          start_date__lte=as_at)
          .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_at)).order_by()
          .values("nominal_id")
          .annotate(mappa=Max("mappa_level", filter=Q(kind=ProtectionKind.MAPPA)),
                    rso=Count("id", filter=Q(kind=ProtectionKind.SEX_OFFENDER_REGISTER)))
          .values_list("nominal_id", "mappa", "rso"))
    return query_frame(qs, {"person_id": pl.Int64, "mappa_level": pl.Int64,
                            "sex_offender": pl.Int64})


def order_signature(rule: Rule) -> str:
    """One column per distinct order test: the kinds, and whether the tag condition counts."""
    kinds = ",".join(sorted(rule.orders))
    return f"{kinds}|tag" if rule.acquisitive_crime_tag else kinds


def _order_matches(rule: Rule) -> Q:
    if rule.acquisitive_crime_tag:
        return Q(kind__in=rule.orders, acquisitive_crime_tag=True)
    return Q(kind__in=rule.orders)


def order_frame(people: QuerySet[Nominal], rules: Iterable[Rule], as_at: date,
                columns: dict[str, str]) -> pl.DataFrame:
    """For each order test, how many of its orders are current on the date."""
    rules = list(rules)
    wanted = {order_signature(r): r for r in rules}
    if not wanted:
        return pl.DataFrame(schema={"person_id": pl.Int64})
    counts = {columns[sig]: Count("id", filter=_order_matches(r)) for sig, r in wanted.items()}
    qs = (OrderLicence.objects.filter(nominal_id__in=people.values("pk"), start_date__lte=as_at)
          .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_at)).order_by()
          .values("nominal_id").annotate(**counts).values_list("nominal_id", *counts))
    frame = query_frame(qs, {"person_id": pl.Int64, **dict.fromkeys(counts, pl.Int64)})
    if not any(r.serving_sentence for r in rules):
        return frame
    serving = (CustodyPeriod.objects
               .filter(nominal_id__in=people.values("pk"), custody_type=CustodyType.SENTENCE,
                       start_date__lte=as_at)
               .filter(Q(actual_release_date__isnull=True) | Q(actual_release_date__gt=as_at))
               .order_by().values("nominal_id").annotate(n=Count("id"))
               .values_list("nominal_id", "n"))
    return frame.join(query_frame(serving, {"person_id": pl.Int64, "serving_sentence": pl.Int64}),
                      on="person_id", how="full", coalesce=True)


# Sentences ---------------------------------------------------------------------------


def sentence_is_under(start: date, length_days: int | None, months: int) -> bool:
    """Whether a sentence of ``length_days`` from ``start`` is shorter than ``months``
    calendar months (a 12-month sentence is 365 or 366 days from its start)."""
    if length_days is None:
        return False
    return (add_months(start, months) - start).days > length_days


def sentence_under_expr(months: int) -> pl.Expr:
    """sentence_is_under as a Polars expression over start_date and sentence_length_days."""
    ends = pl.col("start_date").dt.offset_by(f"{months}mo")
    span = (ends - pl.col("start_date")).dt.total_days()
    return (span > pl.col("sentence_length_days")).fill_null(False)


def sentence_frame(people: QuerySet[Nominal], months: Iterable[int], as_at: date
                   ) -> pl.DataFrame:
    """For each length, how many sentences shorter than it the person is serving on the date
    (``short_sentence_<months>``): sentenced custody begun and not yet ended."""
    months = sorted(set(months))
    schema = {"person_id": pl.Int64}
    if not months:
        return pl.DataFrame(schema=schema)
    qs = (CustodyPeriod.objects
          .filter(nominal_id__in=people.values("pk"), custody_type=CustodyType.SENTENCE,
                  start_date__lte=as_at, sentence_length_days__isnull=False)
          .filter(Q(actual_release_date__isnull=True) | Q(actual_release_date__gt=as_at))
          .order_by().values_list("nominal_id", "start_date", "sentence_length_days"))
    spells = query_frame(qs, {"person_id": pl.Int64, "start_date": pl.Date,
                              "sentence_length_days": pl.Int64})
    return spells.group_by("person_id").agg(
        sentence_under_expr(m).sum().cast(pl.Int64).alias(f"short_sentence_{m}")
        for m in months)
