"""One test per rule of iom/people/validation.py: what each record accepts, and the
message (with the field) it refuses with. Time is frozen: "the future" is a rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from iom.core.errors import DomainError
from iom.people import validation as v
from iom.people.models import Nominal

TODAY = date(2026, 6, 15)
BORN = date(1990, 5, 1)



@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def person() -> Nominal:
    return Nominal(forename="Rule", surname="Test", date_of_birth=BORN, gender="M")


def problems(validate: Any, raw: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    with pytest.raises(DomainError) as refused:
        validate(raw, **kwargs)
    return {p.field: p.message for p in refused.value.problems}


EVENT = {"kind": "conviction", "event_date": "2026-01-10", "offence_date": "2025-12-01",
         "ho_code": "28A", "disposal": "custody"}


# Dates -------------------------------------------------------------------------------


def test_a_record_date_may_be_today_but_not_tomorrow() -> None:
    clean = v.validate_event({**EVENT, "event_date": "2026-06-15"}, nominal=person())
    assert clean["event_date"] == TODAY
    assert problems(v.validate_event, {**EVENT, "event_date": "2026-06-16"},
                    nominal=person()) == {"event_date": "The date cannot be in the future."}


def test_a_date_that_is_not_real_is_named_with_its_field() -> None:
    found = problems(v.validate_event, {**EVENT, "event_date": "2026-02-30"}, nominal=person())
    assert found == {"event_date": "'2026-02-30' is not a real date in the form YYYY-MM-DD."}


def test_a_required_date_left_empty_asks_for_one() -> None:
    assert problems(v.validate_event, {**EVENT, "event_date": ""}, nominal=person()) == {
        "event_date": "Enter a date."}


def test_a_scheduled_date_may_lie_ahead() -> None:
    clean = v.validate_case_date({"kind": "court_hearing", "date": "2027-01-04"}, nominal=person())
    assert clean["date"] == date(2027, 1, 4)


def test_a_court_date_is_required_and_real() -> None:
    assert problems(v.validate_case_date, {"kind": "court_hearing", "date": ""},
                    nominal=person()) == {"date": "Enter a date."}
    assert "date" in problems(v.validate_case_date, {"kind": "court_hearing", "date": "soon"},
                              nominal=person())


def test_nothing_is_dated_before_the_person_was_born() -> None:
    found = problems(v.validate_event, {**EVENT, "offence_date": "1989-01-01"},
                     nominal=person())
    assert found == {"offence_date": "The date cannot be before the person's date of birth."}


def test_an_offence_cannot_come_after_its_conviction() -> None:
    found = problems(v.validate_event, {**EVENT, "offence_date": "2026-02-01"},
                     nominal=person())
    assert found == {"event_date": "The offence cannot be after its conviction date."}


# Offending ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["arrest", "charge", "conviction", "caution"])
def test_offending_needs_a_home_office_code(kind: str) -> None:
    raw = {**EVENT, "kind": kind, "ho_code": ""}
    assert problems(v.validate_event, raw, nominal=person())["ho_code"] == (
        "Enter a Home Office offence code.")


def test_a_breach_needs_no_offence_code() -> None:
    clean = v.validate_event({"kind": "breach", "event_date": "2026-01-10"}, nominal=person())
    assert clean["ho_code"] == ""


def test_a_conviction_needs_its_disposal_and_an_arrest_does_not() -> None:
    assert "disposal" in problems(v.validate_event, {**EVENT, "disposal": ""},
                                  nominal=person())
    clean = v.validate_event({**EVENT, "kind": "arrest", "disposal": ""}, nominal=person())
    assert clean["disposal"] == ""


def test_an_unknown_kind_lists_the_kinds_allowed() -> None:
    message = problems(v.validate_event, {**EVENT, "kind": "rumour"}, nominal=person())["kind"]
    assert message.startswith("'rumour' is not one of: arrest, charge, conviction")


def test_every_problem_is_told_at_once() -> None:
    found = problems(v.validate_event, {"kind": "conviction", "event_date": "",
                                        "ho_code": "", "disposal": ""}, nominal=person())
    assert set(found) == {"event_date", "ho_code", "disposal"}


def test_text_over_its_length_or_with_a_nul_character_is_refused() -> None:
    assert "court" in problems(v.validate_event, {**EVENT, "court": "x" * 121},
                               nominal=person())
    assert problems(v.validate_event, {**EVENT, "description": "two\x00 bikes"},
                    nominal=person()) == {
        "description": "Remove the null character (NUL) from the text."}


# Custody, orders, protection ---------------------------------------------------------


CUSTODY = {"custody_type": "sentence", "start_date": "2026-01-10",
           "expected_release_date": "2026-09-01"}


def test_only_a_sentence_has_a_length() -> None:
    assert v.validate_custody({**CUSTODY, "sentence_length_days": "180"},
                              nominal=person())["sentence_length_days"] == 180
    found = problems(v.validate_custody, {**CUSTODY, "custody_type": "remand",
                                          "sentence_length_days": "180"}, nominal=person())
    assert found == {"sentence_length_days": "Only a sentence has a length; leave it blank "
                                             "for remand."}


def test_a_sentence_length_is_a_whole_number_within_bounds() -> None:
    assert problems(v.validate_custody, {**CUSTODY, "sentence_length_days": "six"},
                    nominal=person()) == {"sentence_length_days": "'six' is not a whole number."}
    assert "sentence_length_days" in problems(
        v.validate_custody, {**CUSTODY, "sentence_length_days": "0"}, nominal=person())


def test_release_cannot_come_before_custody_started() -> None:
    found = problems(v.validate_custody, {**CUSTODY, "expected_release_date": "2025-12-01",
                                          "actual_release_date": "2026-01-01"},
                     nominal=person())
    assert found == {"expected_release_date": "The expected release cannot be before custody "
                                              "started.",
                     "actual_release_date": "Release cannot be before custody started."}


def test_the_acquisitive_crime_tag_is_a_licence_condition_only() -> None:
    order = {"kind": "licence", "start_date": "2026-01-10", "acquisitive_crime_tag": "on"}
    assert v.validate_order(order, nominal=person())["acquisitive_crime_tag"] is True
    found = problems(v.validate_order, {**order, "kind": "community_order"}, nominal=person())
    assert set(found) == {"acquisitive_crime_tag"}


def test_mappa_needs_a_level_from_1_to_3() -> None:
    raw = {"kind": "mappa", "start_date": "2026-01-10"}
    assert problems(v.validate_protection, raw, nominal=person()) == {
        "mappa_level": "Enter a number."}
    assert problems(v.validate_protection, {**raw, "mappa_level": "4"}, nominal=person()) == {
        "mappa_level": "Must be between 1 and 3."}
    assert v.validate_protection({**raw, "mappa_level": "2"}, nominal=person())[
        "mappa_level"] == 2


# Intelligence grading ----------------------------------------------------------------


INTEL = {"recorded_date": "2026-03-01", "crime_type": "acquisitive",
         "summary": "Seen with stolen tools"}


def test_five_by_five_grades_take_a_letter_a_number_and_a_number() -> None:
    clean = v.validate_intelligence({**INTEL, "grading_system": "5x5x5", "source_grade": "b",
                                     "intel_grade": "2", "handling_code": "1"},
                                    nominal=person())
    assert (clean["source_grade"], clean["intel_grade"], clean["handling_code"]) == (
        "B", "2", "1")


def test_three_five_two_grades_are_checked_against_their_own_letters() -> None:
    found = problems(v.validate_intelligence, {**INTEL, "grading_system": "3x5x2",
                                               "source_grade": "4", "intel_grade": "B",
                                               "handling_code": "X"}, nominal=person())
    assert found == {"source_grade": "For 3x5x2 grading this must be one of 1, 2, 3.",
                     "handling_code": "For 3x5x2 grading this must be one of P, C."}


def test_intelligence_needs_a_summary() -> None:
    assert "summary" in problems(v.validate_intelligence, {
        **INTEL, "summary": "", "grading_system": "3x5x2", "source_grade": "1",
        "intel_grade": "A", "handling_code": "P"}, nominal=person())


# Addresses, aliases, flags -----------------------------------------------------------


def test_an_address_postcode_is_kept_in_capitals_and_its_dates_in_order() -> None:
    raw = {"line1": "1 High Street", "town": "Northtown", "postcode": "nt1 1aa",
           "from_date": "2025-01-01"}
    assert v.validate_address(raw, nominal=person())["postcode"] == "NT1 1AA"
    assert problems(v.validate_address, {**raw, "to_date": "2024-01-01"},
                    nominal=person()) == {
        "to_date": "The end date cannot be before the start date."}


def test_an_alias_needs_both_names() -> None:
    assert set(problems(v.validate_alias, {"forename": "", "surname": ""},
                        nominal=person())) == {"forename", "surname"}


def test_a_flag_needs_a_kind_and_a_start() -> None:
    assert set(problems(v.validate_flag, {"kind": "", "start_date": ""},
                        nominal=person())) == {"kind", "start_date"}


# The person --------------------------------------------------------------------------


NOMINAL = {"forename": "Rule", "surname": "Test", "date_of_birth": "1990-05-01",
           "gender": "M"}


@pytest.mark.django_db
def test_a_new_person_needs_a_partnership_and_gets_ethnicity_not_stated(world) -> None:
    assert problems(v.validate_nominal, NOMINAL) == {"partnership": "The partnership is "
                                                                    "required."}
    clean = v.validate_nominal({**NOMINAL, "partnership": world.north})
    assert clean["ethnicity"] == "NS" and clean["pnc_id"] is None


@pytest.mark.django_db
def test_a_pnc_id_held_by_someone_seen_is_named_and_by_someone_unseen_is_not(world) -> None:
    taken = world.person.pnc_id
    assert taken, "the shared test person has a PNC ID"
    raw = {**NOMINAL, "partnership": world.north, "pnc_id": taken}
    seen = problems(v.validate_nominal, raw, can_see=lambda holder: True)
    assert seen == {"pnc_id": f"{taken} is already recorded for another person."}
    hidden: list[tuple[str, int]] = []
    unseen = problems(v.validate_nominal, raw, can_see=lambda holder: False, hidden=hidden)
    assert unseen == {"pnc_id": v.HIDDEN_CLASH["pnc_id"]}
    assert hidden == [("pnc_id", world.person.pk)]


@pytest.mark.django_db
def test_a_malformed_pnc_id_says_what_is_wrong(world) -> None:
    found = problems(v.validate_nominal, {**NOMINAL, "partnership": world.north,
                                          "pnc_id": "not-a-pnc"})
    assert set(found) == {"pnc_id"} and found["pnc_id"]
