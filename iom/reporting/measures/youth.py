"""Deter Young Offenders: their reoffending and how long their cases take through court
(004 1.31: "DYOs are monitored for their re-offending rates and timeliness through the
criminal justice system").

Plain frames in, one table out (no Django), beside the rest of the pack:

1. **Who.** A Deter Young Offender is a cohort member of the pack (placed in the period)
   whose case is in the Deter Young Offender strand (``strand`` of the cohort case, as
   at the end of the period or when the case ended). Everyone else placed in the period
   is "Others on the cohort", so the two rows add up to "All". Only those whose
   after-window has run its full length are counted, as in the before-and-after table
   (whose "All" has the same people); the others are in the table of those with less
   than the full window so far.
2. **Reoffending.** People with at least one proven offence in their after-window (the
   days at liberty after selection, as the before-and-after table counts them), and
   their share of the group; the proven offences themselves.
3. **Timeliness through court.** Each proven offence (conviction or caution) of the
   group's people with its outcome date in the period and an offence date recorded:
   calendar days from the offence to the outcome. The median is shown, with the count
   it was taken over. *Choice*: the sources say "timeliness through the criminal justice
   system" without a measure; offence to outcome is the Youth Justice Board's usual one
   and needs only the dates every feed carries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from iom.scoring.batch.frames import stored_in

from .tables import Cell, Table, column_lines

DYO_STRAND = "deter_young_offender"
DYO, OTHERS, ALL = "Deter Young Offender", "Others on the cohort", "All"
COLUMNS = ("people", "reoffended", "reoffended_percent", "proven_after", "court_outcomes",
           "median_days_to_outcome")
HEADINGS = {"people": "People", "reoffended": "Reoffended (people)",
            "reoffended_percent": "Reoffended (%)", "proven_after": "Proven offences after",
            "court_outcomes": "Proven offences with an outcome in the period",
            "median_days_to_outcome": "Days from offence to outcome (median)"}


def youth_table(measured: pl.DataFrame, memberships: pl.DataFrame, events: pl.DataFrame, *,
                date_from: date, date_to: date, period: str,
                proven_types: Iterable[str]) -> Table:
    """``measured``: the cohort members' before-and-after frame (person_id, proven_after)
    of those with the full after-window;
    ``memberships``: person_id, strand; ``events``: the offending history."""
    young = set(memberships.filter(pl.col("strand") == DYO_STRAND)["person_id"].to_list())
    days = _days_to_outcome(events, date_from, date_to, proven_types)
    groups = [(DYO, measured.filter(pl.col("person_id").is_in(sorted(young)))),
              (OTHERS, measured.filter(~pl.col("person_id").is_in(sorted(young)))),
              (ALL, measured)]
    rows = tuple((name, _cells(name, frame, days)) for name, frame in groups)
    counts = ["people", "reoffended", "proven_after", "court_outcomes"]
    return Table("youth", "Deter Young Offenders: reoffending and time through court",
                 COLUMNS, rows, period,
                 ("A Deter Young Offender is a cohort member placed in the period whose case "
                  "is in the Deter Young Offender strand (004 1.31).",
                  "Reoffended: at least one proven offence in the full window at liberty "
                  "after selection; people with less than the full window so far are left "
                  "out, as in the before-and-after table.",
                  "Time through court: calendar days from the offence to its conviction or "
                  "caution, for those with the outcome in the period."),
                 tuple(column_lines([DYO, OTHERS], ALL, counts)),
                 tuple(HEADINGS[c] for c in COLUMNS))


def _days_to_outcome(events: pl.DataFrame, date_from: date, date_to: date,
                     proven_types: Iterable[str]) -> pl.DataFrame:
    schema = events.collect_schema()
    return (events.lazy()
            .filter(stored_in("event_type", proven_types, schema)
                    & pl.col("offence_date").is_not_null()
                    & pl.col("event_date").is_between(date_from, date_to))
            .select(pl.col("person_id").cast(pl.Int64),
                    days=(pl.col("event_date") - pl.col("offence_date")).dt.total_days())
            .collect())


def _cells(row: str, people: pl.DataFrame, days: pl.DataFrame) -> dict[str, Cell]:
    n = people.height
    reoffended = int((people["proven_after"] > 0).sum()) if n else 0
    theirs = days.filter(pl.col("person_id").is_in(people["person_id"].to_list()))["days"]
    median = theirs.median() if theirs.len() else None
    people_cell = (row, "people")
    return {
        "people": Cell(n),
        "reoffended": Cell(reoffended, base=people_cell),
        "reoffended_percent": Cell(100 * reoffended / n if n else None, "percent", people_cell),
        "proven_after": Cell(int(people["proven_after"].sum()) if n else 0, base=people_cell),
        "court_outcomes": Cell(theirs.len(), base=people_cell),
        "median_days_to_outcome": Cell(float(median) if median is not None else None,  # type: ignore[arg-type]
                                       "mean", (row, "court_outcomes")),
    }
