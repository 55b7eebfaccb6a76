"""Computing and storing scores. Pure scorers give the working for one person;
the Polars twin scores a whole partnership at once for the nightly run."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access, record_access_for_many
from iom.core.errors import DomainError, FieldProblem
from iom.governance.policy import SYSTEM_SIGHT, Sight, withholds_intelligence_scores
from iom.people.models import Nominal
from iom.scoring.batch import score_tables
from iom.scoring.engine import (
    EmergingResult,
    ErrorCode,
    Ogrs3Result,
    RiskResult,
    ScoreError,
    ScoreResult,
    default_config,
    emerging_threat,
    score_person,
)

from .models import (
    SUMMARY_FIELDS,
    EmergingThreat,
    ScoreName,
    ScoreRun,
    StoredScore,
    StoredScoreSummary,
    SuppliedOgrs3,
)
from .selectors import (
    facts_for,
    latest_supplied,
    run_has_summary,
    run_scores_pivoted,
    supplied_known_at,
    tables_from_db,
)
from .supplied import Chosen, choose

BATCH_COLUMNS: dict[str, tuple[str, str, str]] = {
    # score name: (value column, band column, error column)
    ScoreName.OGRS3: ("ogrs3_2y", "ogrs3_band", "ogrs3_error"),
    ScoreName.CRIME_SEVERITY: ("css", "css_band", ""),
    ScoreName.IOM_MATRIX: ("matrix", "matrix_band", ""),
    ScoreName.RISK: ("risk", "risk_grade", ""),
    ScoreName.EMERGING: ("emerging_rise", "emerging_band", ""),
}


def result_detail(result: ScoreResult) -> dict[str, Any]:
    """The score-specific figures a page shows beside the value, as JSON."""
    if isinstance(result, Ogrs3Result):
        detail: dict[str, Any] = {
            "percent_1y": result.percent_1y, "percent_2y": result.percent_2y,
            "probability_1y": result.probability_1y, "probability_2y": result.probability_2y,
        }
        if result.inputs is not None:
            detail["inputs"] = {k: str(v) if v is not None else None
                                for k, v in asdict(result.inputs).items()}
        return detail
    if isinstance(result, RiskResult):
        return {"profile": result.profile, "profiles": dict(result.profile_scores)}
    if isinstance(result, EmergingResult):
        return {"score_now": result.score_now, "score_before": result.score_before,
                "grade_now": result.grade_now, "grade_before": result.grade_before,
                "period_start": str(result.period_start) if result.period_start else None}
    return {}


def working_json(result: ScoreResult) -> list[dict[str, Any]]:
    return [{"rule": c.rule, "amount": c.amount, "event_id": c.event_id, "detail": c.detail}
            for c in result.working]


# The scores whose inputs may include police intelligence (docs/adr/0007).
INTELLIGENCE_SCORES = frozenset({ScoreName.IOM_MATRIX, ScoreName.RISK, ScoreName.EMERGING})
WITHHELD = ("This score uses police intelligence, which your organisation cannot see; "
            "ask the police offender manager.")


def scores_for(nominal: Nominal, as_at: date, *, sight: Sight) -> dict[str, ScoreResult]:
    """All five scores for one person as at a date, with their working (not stored),
    from the records ``sight`` may see.

    Without intelligence sight, the scores in ``INTELLIGENCE_SCORES`` are withheld
    whole, for everyone alike so that withholding tells nothing, unless
    ``IOM_SCORES_WITHOUT_INTELLIGENCE`` is ``without``: then they are worked out
    without the intelligence, which the reader's facts never held.
    """
    results = score_person(facts_for(nominal, sight=sight), as_at, default_config())
    if sight.intelligence or not withholds_intelligence_scores():
        return results
    return {name: withheld(result) if name in INTELLIGENCE_SCORES else result
            for name, result in results.items()}


def withheld(result: ScoreResult) -> ScoreResult:
    return ScoreResult(name=result.name, value=None, band=None, working=(),
                       reference_version=result.reference_version, as_at=result.as_at,
                       error=ScoreError(ErrorCode.WITHHELD, WITHHELD))


def records_read(results: dict[str, ScoreResult]) -> list[RecordRef]:
    """The records a score's working showed, each under its own kind, for the access log."""
    seen = dict.fromkeys(
        RecordRef("intelligence" if "intelligence" in c.rule else "event", c.event_id)
        for result in results.values() for c in result.working if c.event_id)
    return list(seen)


@transaction.atomic
def score_and_store(*, nominal: Nominal, as_at: date, acting_user: User | None,
                    through: str, reason: str = "") -> dict[str, ScoreResult]:
    """Compute a person's scores as at a date and keep them in their score history."""
    results = scores_for(nominal, as_at, sight=SYSTEM_SIGHT)
    stored = StoredScore.objects.bulk_create(
        _stored(nominal.pk, name, result) for name, result in results.items())
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  nominal_id=nominal.pk, reason=reason,
                  records=[RecordRef("score", s.pk) for s in stored],
                  detail={"as_at": as_at, "scores": {n: r.value for n, r in results.items()}})
    return results


def _stored(nominal_id: int, name: str, result: ScoreResult,
            run: ScoreRun | None = None) -> StoredScore:
    return StoredScore(
        nominal_id=nominal_id, name=name, as_at=result.as_at or timezone.localdate(),
        value=result.value,
        band=result.band or "", detail=result_detail(result), working=working_json(result),
        error_code=str(result.error.code) if result.error else "",
        reference_version=result.reference_version, run=run)


def score_partnership(*, people: QuerySet[Nominal], as_at: date, kind: str = "nightly",
                      through: str) -> ScoreRun:
    """Score everyone at once with the batch twin, store the values, raise threats.

    1. Build the four tables from the database and score them in Polars.
    2. Store each person's five values and bands (the working is recomputed
       by the pure scorers when a page shows one person), and the same values
       side by side in one summary row per person (read by cohort candidates).
    3. For each person flagged as an emerging threat, ask the pure scorer for
       the events that caused the rise, and raise a threat once per day.
    4. One access-log entry per person scored, in the same transaction.
    """
    cfg = default_config()
    frame = score_tables(*_as_tuple(tables_from_db(people)), as_at=as_at, config=cfg)
    with transaction.atomic():
        run = ScoreRun.objects.create(as_at=as_at, kind=kind, people=frame.height,
                                      reference_version=cfg.version)
        StoredScore.objects.bulk_create(_batch_rows(frame, run), batch_size=2000)
        StoredScoreSummary.objects.bulk_create(_summary_rows(frame, run), batch_size=2000)
        flagged = frame.filter(pl.col("emerging_band") == "emerging")["person_id"].to_list()
        _raise_threats(flagged, as_at, run)
        record_access_for_many(user=None, action=Action.CREATE, through=through,
                               nominal_ids=frame["person_id"].to_list(),
                               records=[RecordRef("score_run", run.pk)],
                               detail={"as_at": as_at, "run": run.pk})
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run


def _as_tuple(tables: Any) -> tuple[Any, Any, Any, Any]:
    return tables.people, tables.events, tables.custody, tables.intelligence


def _batch_rows(frame: pl.DataFrame, run: ScoreRun) -> list[StoredScore]:
    rows = []
    for row in frame.iter_rows(named=True):
        for name, (value, band, error) in BATCH_COLUMNS.items():
            detail = {"percent_2y": row["ogrs3_2y_percent"], "percent_1y": row["ogrs3_1y_percent"],
                      "probability_1y": row["ogrs3_1y"]} if name == ScoreName.OGRS3 else {}
            rows.append(StoredScore(
                nominal_id=row["person_id"], name=name, as_at=row["as_at"],
                value=row[value], band=row[band] or "", detail=detail,
                error_code=(row[error] or "") if error else "",
                reference_version=row["reference_version"], run=run))
    return rows


def _summary_rows(frame: pl.DataFrame, run: ScoreRun) -> list[StoredScoreSummary]:
    """The values and bands of ``_batch_rows``, one row per person (OGRS 3 as its percent)."""
    rows = []
    for row in frame.iter_rows(named=True):
        fields: dict[str, Any] = {}
        for name, (value, band) in SUMMARY_FIELDS.items():
            batch_value, batch_band, _ = BATCH_COLUMNS[name]
            fields[value] = row["ogrs3_2y_percent" if name == ScoreName.OGRS3 else batch_value]
            fields[band] = row[batch_band] or ""
        rows.append(StoredScoreSummary(run=run, nominal_id=row["person_id"], as_at=row["as_at"],
                                       **fields))
    return rows


@transaction.atomic
def summarise_run(*, run: ScoreRun) -> int:
    """Write the summary rows of a run stored before summaries existed; how many were written.

    They are grouped from the run's stored scores, so they say exactly what
    those say. A run that has its summary already is left alone.
    """
    if run_has_summary(run):
        return 0
    rows = []
    for nominal_id, as_at, *values in run_scores_pivoted(run).iterator(chunk_size=5000):
        fields: dict[str, Any] = {}
        for (name, (value, band)), index in zip(SUMMARY_FIELDS.items(), range(0, 10, 2),
                                                strict=True):
            found = values[index]
            fields[value] = _number(found) if name == ScoreName.OGRS3 else found
            fields[band] = values[index + 1]
        rows.append(StoredScoreSummary(run=run, nominal_id=nominal_id, as_at=as_at, **fields))
    StoredScoreSummary.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _number(text: Any) -> float | None:
    """A JSON number read out as text (or as a number on SQLite); anything else is no value."""
    try:
        return float(text) if text is not None else None
    except (TypeError, ValueError):
        return None


def _raise_threats(person_ids: list[int], as_at: date, run: ScoreRun) -> None:
    cfg = default_config()
    for nominal in Nominal.objects.filter(pk__in=person_ids):
        result = emerging_threat(facts_for(nominal, sight=SYSTEM_SIGHT), as_at, cfg)
        assert isinstance(result, EmergingResult)
        EmergingThreat.objects.get_or_create(
            nominal=nominal, raised_on=as_at,
            defaults={"score_before": result.score_before, "score_now": result.score_now,
                      "grade_before": result.grade_before, "grade_now": result.grade_now,
                      "causes": working_json(result), "run": run})


def ogrs3_in_use(nominal: Nominal, as_at: date, results: dict[str, ScoreResult]
                 ) -> tuple[Chosen, list[SuppliedOgrs3]]:
    """Which OGRS 3 a decision as at the date uses (``supplied.choose``), and the supplied
    scores known then, newest first, for the page to list."""
    computed = results.get(ScoreName.OGRS3)
    percent = computed.percent_2y if isinstance(computed, Ogrs3Result) else None
    latest, conviction = latest_supplied(nominal, as_at)
    listed = list(supplied_known_at([nominal.pk], as_at).order_by(
        "-assessed_on", "-recorded_at", "-id").select_related("originating_organisation"))
    return choose(percent, latest, conviction), listed


def _supplied_problems(percent_2y: Any, percent_1y: Any, assessed_on: Any, source: str,
                       nominal: Nominal) -> list[FieldProblem]:
    problems = []
    for name, value in (("percent_2y", percent_2y), ("percent_1y", percent_1y)):
        if value is None and name == "percent_1y":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 99:
            problems.append(FieldProblem(name, "Enter a whole percent from 1 to 99, as OGRS 3 "
                                               "shows it."))
    if not isinstance(assessed_on, date):
        problems.append(FieldProblem("assessed_on", "Enter the date of the assessment."))
    elif assessed_on > timezone.localdate():
        problems.append(FieldProblem("assessed_on", "The date of the assessment cannot be in "
                                                    "the future."))
    elif nominal.date_of_birth and assessed_on <= nominal.date_of_birth:
        problems.append(FieldProblem("assessed_on", "The date of the assessment must be after "
                                                    "the date of birth."))
    if not source.strip():
        problems.append(FieldProblem("source", "Say where the score came from, for example "
                                               "OASys or the probation case system."))
    elif len(source) > 120 or "\x00" in source:
        problems.append(FieldProblem("source", "Use at most 120 characters, and no NUL."))
    return problems


@transaction.atomic
def record_supplied_ogrs3(*, nominal: Nominal, percent_2y: int, assessed_on: date, source: str,
                          acting_user: User, through: str, percent_1y: int | None = None,
                          reason: str = "") -> SuppliedOgrs3:
    """Keep an OGRS 3 score probation worked out (001), with its date and source."""
    problems = _supplied_problems(percent_2y, percent_1y, assessed_on, source, nominal)
    if problems:
        raise DomainError("The supplied OGRS 3 score could not be saved.", problems)
    assert acting_user.organisation is not None
    supplied = SuppliedOgrs3.objects.create(
        nominal=nominal, percent_2y=percent_2y, percent_1y=percent_1y, assessed_on=assessed_on,
        source=source.strip(), originating_organisation=acting_user.organisation,
        recorded_by=acting_user)
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  nominal_id=nominal.pk, reason=reason,
                  records=[RecordRef("supplied_ogrs3", supplied.pk)],
                  detail={"new": {"percent_2y": percent_2y, "percent_1y": percent_1y,
                                  "assessed_on": assessed_on, "source": supplied.source}})
    return supplied
