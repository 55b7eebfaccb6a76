"""The facts the scorers need, read from the database.

A record counts as known from the day its source recorded it
(``recorded_at``), so a score as at a past date uses only what was known then.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import polars as pl
from django.db.models import Max, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone

from iom.governance.policy import Sight
from iom.people.models import CustodyPeriod as CustodyRow
from iom.people.models import Intelligence, Nominal, OffendingEvent
from iom.scoring.batch import Tables
from iom.scoring.engine import CustodyPeriod, Event, IntelEntry, PersonFacts

from .models import (
    SUMMARY_FIELDS,
    ScoreName,
    ScoreRun,
    StoredScore,
    StoredScoreSummary,
    SuppliedOgrs3,
)
from .supplied import Supplied


def _day(moment: object) -> date:
    return timezone.localtime(moment).date()  # type: ignore[arg-type]


def facts_for(nominal: Nominal, *, sight: Sight) -> PersonFacts:
    """The person's facts as the given sight allows: intelligence only where it may be
    seen (``policy.sight_of`` a reader, or ``policy.SYSTEM_SIGHT`` for stored scores)."""
    events = tuple(
        Event(e.pk, e.kind, e.event_date, e.offence_date, e.ho_code or None, e.disposal or None,
              e.domestic_abuse, _day(e.recorded_at), e.ogrs3_category or None)
        for e in nominal.events.all()
    )
    custody = tuple(
        CustodyPeriod(c.pk, c.custody_type, c.start_date, c.expected_release_date,
                      c.actual_release_date)
        for c in nominal.custody_periods.all()
    )
    intelligence = tuple(
        IntelEntry(i.pk, i.recorded_date, i.grading_system, i.source_grade, i.intel_grade,
                   i.handling_code, i.crime_type)
        for i in (nominal.intelligence.all() if sight.intelligence else ())
    )
    gender = nominal.gender if nominal.gender in {"M", "F"} else None
    return PersonFacts(nominal.pk, nominal.date_of_birth, gender,
                       nominal.primary_substance or None, events, custody, intelligence)


def tables_from_db(people: QuerySet[Nominal]) -> Tables:
    """The four tables of docs/data.md for these people, for the batch scorers."""
    ids = list(people.values_list("pk", flat=True))
    person_rows = people.values_list("pk", "date_of_birth", "gender", "primary_substance")
    people_frame = pl.DataFrame(
        [(pk, born, g if g in {"M", "F"} else None, s or None)
         for pk, born, g, s in person_rows],
        schema={"person_id": pl.Int64, "date_of_birth": pl.Date, "gender": pl.String,
                "primary_substance": pl.String}, orient="row")
    events = pl.DataFrame(
        [(pk, nid, kind, day, off, code or None, disp or None, da, _day(rec), cat or None)
         for pk, nid, kind, day, off, code, disp, da, rec, cat in OffendingEvent.objects.filter(
             nominal_id__in=ids).values_list(
             "pk", "nominal_id", "kind", "event_date", "offence_date", "ho_code", "disposal",
             "domestic_abuse", "recorded_at", "ogrs3_category").iterator(chunk_size=5000)],
        schema={"event_id": pl.Int64, "person_id": pl.Int64, "event_type": pl.String,
                "event_date": pl.Date, "offence_date": pl.Date, "ho_code": pl.String,
                "disposal": pl.String, "domestic_abuse": pl.Boolean,
                "recorded_date": pl.Date, "ogrs3_category": pl.String}, orient="row")
    custody = pl.DataFrame(
        list(CustodyRow.objects.filter(nominal_id__in=ids).values_list(
            "pk", "nominal_id", "custody_type", "start_date", "expected_release_date",
            "actual_release_date")),
        schema={"custody_id": pl.Int64, "person_id": pl.Int64, "custody_type": pl.String,
                "start_date": pl.Date, "expected_release_date": pl.Date,
                "actual_release_date": pl.Date}, orient="row")
    intelligence = pl.DataFrame(
        list(Intelligence.objects.filter(nominal_id__in=ids).values_list(
            "pk", "nominal_id", "recorded_date", "grading_system", "source_grade",
            "intel_grade", "handling_code", "crime_type")),
        schema={"intel_id": pl.Int64, "person_id": pl.Int64, "recorded_date": pl.Date,
                "grading_system": pl.String, "source_grade": pl.String,
                "intel_grade": pl.String, "handling_code": pl.String,
                "crime_type": pl.String}, orient="row")
    return Tables(people_frame.lazy(), events.lazy(), custody.lazy(), intelligence.lazy())


def score_history(nominal: Nominal, name: str = ScoreName.RISK) -> list[StoredScore]:
    """The stored scores of one kind for a person, oldest first (one per as-at date)."""
    latest: dict[date, StoredScore] = {}
    for score in StoredScore.objects.filter(nominal=nominal, name=name).order_by(
            "as_at", "computed_at"):
        latest[score.as_at] = score
    return list(latest.values())


def run_scores_pivoted(run: ScoreRun, nominal_ids: QuerySet[Any] | None = None
                       ) -> QuerySet[Any]:
    """A run's scores one row per person, grouped from the stored scores (older runs).

    Rows are (nominal_id, as_at, then a value and a band for each score in
    ``SUMMARY_FIELDS`` order); the OGRS 3 value is its 2-year percent as text.
    ``nominal_ids`` (a query of ids) limits the people; by default everyone in the run.
    """
    columns: dict[str, Any] = {}
    for name, (value, band) in SUMMARY_FIELDS.items():
        columns[value] = Max(KT("detail__percent_2y") if name == ScoreName.OGRS3 else "value",
                             filter=Q(name=name))
        columns[band] = Max("band", filter=Q(name=name))
    scores = StoredScore.objects.filter(run=run, name__in=list(SUMMARY_FIELDS))
    if nominal_ids is not None:
        scores = scores.filter(nominal_id__in=nominal_ids)
    return (scores.order_by().values("nominal_id", "as_at").annotate(**columns)
            .values_list("nominal_id", "as_at", *columns))


def run_scores_summarised(run: ScoreRun, nominal_ids: QuerySet[Any]) -> QuerySet[Any]:
    """The same rows from the run's summary, written with the run (one row per person)."""
    fields = [f for pair in SUMMARY_FIELDS.values() for f in pair]
    return (StoredScoreSummary.objects.filter(run=run, nominal_id__in=nominal_ids).order_by()
            .values_list("nominal_id", "as_at", *fields))


def run_has_summary(run: ScoreRun) -> bool:
    return StoredScoreSummary.objects.filter(run=run).exists()


def _end_of(as_at: date) -> datetime:
    """The first moment after the as-at day: records made later are not known on it."""
    return timezone.make_aware(datetime.combine(as_at + timedelta(days=1), time.min))


def supplied_known_at(nominal_ids: Any, as_at: date) -> QuerySet[SuppliedOgrs3]:
    """Supplied OGRS 3 scores assessed and recorded by the as-at date, newest first."""
    return SuppliedOgrs3.objects.filter(nominal_id__in=nominal_ids, assessed_on__lte=as_at,
                                        recorded_at__lt=_end_of(as_at))


def latest_supplied(nominal: Nominal, as_at: date) -> tuple[Supplied | None, date | None]:
    """The person's latest supplied OGRS 3 known at the date, and their latest conviction
    known then (what the rule in ``supplied.choose`` weighs it against)."""
    row = supplied_known_at([nominal.pk], as_at).order_by(
        "-assessed_on", "-recorded_at", "-id").first()
    found = Supplied(row.percent_2y, row.assessed_on, row.source) if row else None
    return found, _latest_convictions([nominal.pk], as_at).get(nominal.pk)


def _latest_convictions(nominal_ids: Any, as_at: date) -> dict[int, date]:
    rows = (OffendingEvent.objects.filter(
        nominal_id__in=nominal_ids, kind="conviction", event_date__lte=as_at,
        recorded_at__lt=_end_of(as_at)).order_by().values("nominal_id")
        .annotate(last=Max("event_date")).values_list("nominal_id", "last"))
    return dict(rows)


SUPPLIED_SCHEMA = {"person_id": pl.Int64, "supplied_percent": pl.Int64, "supplied_on": pl.Date,
                   "supplied_source": pl.String, "latest_conviction": pl.Date}


def supplied_frame(people: QuerySet[Nominal], as_at: date) -> pl.DataFrame:
    """For each of these people with a supplied OGRS 3 known at the date: the latest
    (percent, day, source) and their latest conviction known then. Supplied scores are
    few, so this is read afresh for every list (never kept in a snapshot)."""
    latest: dict[int, SuppliedOgrs3] = {}
    for row in supplied_known_at(people.values("pk"), as_at).order_by(
            "nominal_id", "assessed_on", "recorded_at", "id"):
        latest[row.nominal_id] = row
    convictions = _latest_convictions(list(latest), as_at) if latest else {}
    return pl.DataFrame(
        [(pk, s.percent_2y, s.assessed_on, s.source, convictions.get(pk))
         for pk, s in latest.items()], schema=SUPPLIED_SCHEMA, orient="row")
