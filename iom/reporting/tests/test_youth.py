"""Deter Young Offenders' reoffending and time through court (004 1.31), by hand.

Seven cohort members with the full after-window: five in the Deter Young Offender
strand (ids 1-5), two not (6, 7). DYOs 1 and 2 reoffended (3 and 1 proven offences
after), so 2 of 5, 40%; of the others, 6 did (2 offences). The outcomes in the period
(1 January 2025 to 31 March 2026) with an offence date: DYO 1's three offences took
10, 30 and 50 days, DYO 2's one took 100 days, DYO 3's took 20 days: 5 outcomes, median
30 days. An outcome on 31 December 2024 (before the period) and a caution with no
offence date are left out; person 6's outcome took 7 days.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from iom.reporting.measures.tables import suppressed_table
from iom.reporting.measures.youth import ALL, DYO, OTHERS, youth_table

FROM, TO = date(2025, 1, 1), date(2026, 3, 31)
OUTCOME = date(2025, 6, 1)


def _event(person: int, days: int | None, on: date = OUTCOME, kind: str = "conviction"):
    offence = on - timedelta(days=days) if days is not None else None
    return {"person_id": person, "event_type": kind, "event_date": on, "offence_date": offence}


def _table():
    measured = pl.DataFrame({"person_id": [1, 2, 3, 4, 5, 6, 7],
                             "proven_after": [3, 1, 0, 0, 0, 2, 0]})
    memberships = pl.DataFrame({"person_id": [1, 2, 3, 4, 5, 6, 7, 9],
                                "strand": ["deter_young_offender"] * 5 + ["standard"] * 2
                                + ["deter_young_offender"]})
    events = pl.DataFrame([
        _event(1, 10), _event(1, 30), _event(1, 50), _event(2, 100), _event(3, 20),
        _event(4, 5, date(2024, 12, 31)), _event(5, None, kind="caution"), _event(6, 7),
        _event(9, 1),  # not a cohort member of the pack: nobody's row
        _event(7, 3, kind="arrest"),  # not proven
    ], schema={"person_id": pl.Int64, "event_type": pl.String, "event_date": pl.Date,
               "offence_date": pl.Date})
    return youth_table(measured, memberships, events, date_from=FROM, date_to=TO,
                       period="p", proven_types={"conviction", "caution"})


def test_reoffending_and_time_through_court_worked_by_hand():
    t = _table()
    dyo = {k: c.value for k, c in dict(t.rows)[DYO].items()}
    assert dyo == {"people": 5, "reoffended": 2, "reoffended_percent": 40.0, "proven_after": 4,
                   "court_outcomes": 5, "median_days_to_outcome": 30.0}
    others = {k: c.value for k, c in dict(t.rows)[OTHERS].items()}
    assert (others["people"], others["reoffended"], others["court_outcomes"],
            others["median_days_to_outcome"]) == (2, 1, 1, 7.0)
    everyone = {k: c.value for k, c in dict(t.rows)[ALL].items()}
    assert (everyone["people"], everyone["reoffended"], everyone["court_outcomes"]) == (7, 3, 6)


def test_small_groups_are_suppressed_and_cannot_be_worked_back():
    t = suppressed_table(_table(), 5)
    others = dict(t.rows)[OTHERS]
    assert others["people"].suppressed and others["reoffended_percent"].suppressed
    assert others["median_days_to_outcome"].suppressed  # from one outcome
    # "All" less the Deter Young Offenders would give the others: one of them goes too.
    dyo, everyone = dict(t.rows)[DYO], dict(t.rows)[ALL]
    assert dyo["people"].suppressed or everyone["people"].suppressed


def test_no_cohort_member_gives_empty_rows_not_an_error():
    t = youth_table(pl.DataFrame(schema={"person_id": pl.Int64, "proven_after": pl.Int64}),
                    pl.DataFrame(schema={"person_id": pl.Int64, "strand": pl.String}),
                    pl.DataFrame(schema={"person_id": pl.Int64, "event_type": pl.String,
                                         "event_date": pl.Date, "offence_date": pl.Date}),
                    date_from=FROM, date_to=TO, period="p", proven_types={"conviction"})
    assert dict(t.rows)[ALL]["people"].value == 0
    assert dict(t.rows)[DYO]["median_days_to_outcome"].value is None
