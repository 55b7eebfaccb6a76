"""Bad input gives a named, specific error in the result, never an exception.

The rules are reference/ogrs3.md, "Validation (ARNS rules)", and the issue's
"Bad input" section.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iom.scoring.engine import (
    ErrorCode,
    Ogrs3Inputs,
    Ogrs3Result,
    ogrs3,
    ogrs3_from_history,
    score_person,
)
from iom.scoring.tests.factories import event, person

GOOD = Ogrs3Inputs("M", date(1990, 5, 1), date(2024, 6, 1), date(2024, 7, 1), 4, 16,
                   "burglary_domestic")
AS_AT = date(2024, 7, 1)


def codes(result: Ogrs3Result) -> list[ErrorCode]:
    return [e.code for e in result.errors]


def test_the_good_inputs_score() -> None:
    result = ogrs3(GOOD)
    assert result.error is None and result.probability_2y is not None


@pytest.mark.parametrize(("changes", "code", "fields"), [
    # Negative or zero sanction counts.
    ({"total_number_of_sanctions": 0}, ErrorCode.TOTAL_SANCTIONS_BELOW_ONE,
     ("total_number_of_sanctions",)),
    ({"total_number_of_sanctions": -3}, ErrorCode.TOTAL_SANCTIONS_BELOW_ONE,
     ("total_number_of_sanctions",)),
    # Out-of-range ages.
    ({"age_at_first_sanction": -1}, ErrorCode.AGE_AT_FIRST_SANCTION_NEGATIVE,
     ("age_at_first_sanction",)),
    ({"age_at_first_sanction": 35}, ErrorCode.AGE_AT_FIRST_SANCTION_AFTER_CURRENT_CONVICTION,
     ("date_of_birth", "date_of_current_conviction", "age_at_first_sanction")),
    ({"date_of_birth": date(2014, 6, 2)}, ErrorCode.AGE_AT_CURRENT_CONVICTION_BELOW_10,
     ("date_of_birth", "date_of_current_conviction")),
    # Dates in the wrong order.
    ({"date_of_birth": date(2024, 6, 1)}, ErrorCode.CONVICTION_DATE_NOT_AFTER_BIRTH,
     ("date_of_birth", "date_of_current_conviction")),
    ({"date_of_current_conviction": date(1989, 1, 1)},
     ErrorCode.CONVICTION_DATE_NOT_AFTER_BIRTH, ("date_of_birth", "date_of_current_conviction")),
    ({"date_at_start_of_followup": date(1990, 5, 1)}, ErrorCode.FOLLOWUP_DATE_NOT_AFTER_BIRTH,
     ("date_of_birth", "date_at_start_of_followup")),
    ({"date_at_start_of_followup": date(2000, 4, 30)}, ErrorCode.AGE_AT_FOLLOWUP_BELOW_10,
     ("date_of_birth", "date_at_start_of_followup")),
    # Unknown offence categories and codes.
    ({"offence_category": "burglary"}, ErrorCode.UNKNOWN_OFFENCE_CATEGORY,
     ("offence_category",)),
    ({"offence_category": None, "offence_code": "999Z"}, ErrorCode.OFFENCE_CODE_NOT_MAPPED,
     ("offence_code",)),
    ({"offence_category": None, "offence_code": "92A"},
     ErrorCode.NEED_DETAILS_OF_EXACT_OFFENCE, ("offence_code",)),
    ({"offence_code": "34B"}, ErrorCode.OFFENCE_CATEGORY_AND_CODE_DISAGREE,
     ("offence_category", "offence_code")),
    ({"gender": "X"}, ErrorCode.UNKNOWN_GENDER, ("gender",)),
    ({"gender": None, "date_of_birth": None}, ErrorCode.MISSING_INPUT,
     ("gender", "date_of_birth")),
    ({"offence_category": None}, ErrorCode.MISSING_INPUT,
     ("offence_category or offence_code",)),
])
def test_each_bad_input_has_its_named_error(
    changes: dict[str, object], code: ErrorCode, fields: tuple[str, ...]
) -> None:
    result = ogrs3(replace(GOOD, **changes))  # type: ignore[arg-type]
    # Born on the conviction date is also under 10 at follow-up: both are reported.
    assert codes(result)[0] == code
    assert result.error is not None and result.error.fields == fields
    assert result.error.message
    assert result.value is None and result.band is None
    assert result.percent_1y is None and result.percent_2y is None


def test_missing_inputs_are_listed_in_one_error() -> None:
    # ARNS: one "Mandatory input field(s) missing" error that lists each missing field.
    result = ogrs3(Ogrs3Inputs(None, None, None, None, None, None))
    assert codes(result) == [ErrorCode.MISSING_INPUT]
    assert result.error is not None
    assert result.error.message.startswith("Mandatory input field(s) missing")
    assert len(result.error.fields) == 7


def test_several_problems_are_all_reported() -> None:
    result = ogrs3(replace(GOOD, gender="X", total_number_of_sanctions=0,
                           offence_category="nonsense"))
    assert set(codes(result)) == {ErrorCode.UNKNOWN_GENDER, ErrorCode.TOTAL_SANCTIONS_BELOW_ONE,
                                  ErrorCode.UNKNOWN_OFFENCE_CATEGORY}


def test_a_sanction_count_too_large_for_arithmetic_is_an_error() -> None:
    result = ogrs3(replace(GOOD, total_number_of_sanctions=10**400))
    assert codes(result) == [ErrorCode.TOTAL_SANCTIONS_OUT_OF_RANGE]


def test_follow_up_before_conviction_is_allowed() -> None:
    # "Neither source requires the follow-up date to be on or after the conviction date."
    assert ogrs3(replace(GOOD, date_at_start_of_followup=date(2024, 1, 1))).error is None


@settings(max_examples=300, deadline=None)
@given(
    gender=st.one_of(st.none(), st.sampled_from(["M", "F", "m", "", "X"])),
    born=st.one_of(st.none(), st.dates()),
    convicted=st.one_of(st.none(), st.dates()),
    followup=st.one_of(st.none(), st.dates()),
    total=st.one_of(st.none(), st.integers(), st.just(10**400)),
    first=st.one_of(st.none(), st.integers(), st.just(-(10**400))),
    category=st.one_of(st.none(), st.sampled_from(["violence", "robbery", "x", ""])),
    code=st.one_of(st.none(), st.sampled_from(["28A", "92A", "999Z", "", "4.6"])),
)
def test_no_input_raises(
    gender: str | None, born: date | None, convicted: date | None, followup: date | None,
    total: int | None, first: int | None, category: str | None, code: str | None,
) -> None:
    result = ogrs3(Ogrs3Inputs(gender, born, convicted, followup, total, first, category, code))
    if result.errors:
        assert result.value is None and all(e.message for e in result.errors)
    else:
        assert result.probability_1y is not None and 0.0 <= result.probability_1y <= 1.0
        assert result.percent_2y is not None and 1 <= result.percent_2y <= 99


# --- From offending history -----------------------------------------------------------

@pytest.mark.parametrize(("facts", "code"), [
    (person(), ErrorCode.NO_CONVICTION),
    (person(event(1, "arrest", date(2024, 1, 1), "28E")), ErrorCode.NO_CONVICTION),
    # Recorded after the as-at date: not yet known, so no conviction.
    (person(event(1, "conviction", date(2024, 1, 1), "28E", recorded=date(2024, 8, 1))),
     ErrorCode.NO_CONVICTION),
    (person(event(1, "conviction", date(2024, 1, 1), "28E"), born=None),
     ErrorCode.MISSING_INPUT),
    (person(event(1, "conviction", date(2024, 1, 1), "28E"), gender=None),
     ErrorCode.MISSING_INPUT),
    (person(event(1, "conviction", date(2024, 1, 1), None)), ErrorCode.MISSING_INPUT),
    (person(event(1, "conviction", date(2024, 1, 1), "999Z")),
     ErrorCode.OFFENCE_CODE_NOT_MAPPED),
    (person(event(1, "conviction", date(2024, 1, 1), "92A")),
     ErrorCode.NEED_DETAILS_OF_EXACT_OFFENCE),
    (person(event(1, "conviction", date(2024, 1, 1), "28E"), gender="U"),
     ErrorCode.UNKNOWN_GENDER),
    # Dates in the wrong order: convicted before being born.
    (person(event(1, "conviction", date(1989, 12, 1), "28E")),
     ErrorCode.AGE_AT_FIRST_SANCTION_NEGATIVE),
    (person(event(1, "conviction", date(2024, 1, 1), "28E"), born=date(2024, 1, 1)),
     ErrorCode.CONVICTION_DATE_NOT_AFTER_BIRTH),
    (person(event(1, "conviction", date(2024, 1, 1), "28E"), born=date(2015, 1, 1)),
     ErrorCode.AGE_AT_CURRENT_CONVICTION_BELOW_10),
    (person(event(1, "caution", date(1980, 1, 1), "46"),
            event(2, "conviction", date(2024, 1, 1), "28E")),
     ErrorCode.AGE_AT_FIRST_SANCTION_NEGATIVE),
])
def test_history_problems_are_named(facts: object, code: ErrorCode) -> None:
    result = ogrs3_from_history(facts, AS_AT)  # type: ignore[arg-type]
    assert result.error is not None and result.error.code == code
    assert result.value is None


def test_every_score_of_a_person_with_nothing_known_is_given_without_raising() -> None:
    results = score_person(person(born=None, gender=None), AS_AT)
    assert results["ogrs3"].error is not None
    assert results["crime_severity"].value == 0.0
    assert results["iom_matrix"].value == 0.0
    assert results["risk_of_reoffending"].band == "not_brought_on"
    assert results["emerging_threat"].band == "none"
