"""The meeting settings come from the environment and bad values stop the start; the
statement signed at a meeting is the one the paper form prints."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from iom.casework import services as casework
from iom.casework.confidentiality import STATEMENT
from iom.casework.models import DocumentKind
from iom.core.testing import pdf_text, settings_with
from iom.meetings.export import export_for
from iom.meetings.pdf import agenda_and_minutes_pdf
from iom.meetings.rules import MeetingRules, check_meeting_policies, meeting_rules
from iom.meetings.tests.factories import arrange

RULES = {
    "IOM_MEETING_TASKING_DAYS_PER_WEEK": "tasking_days_per_week",
    "IOM_MEETING_DECISION_QUORUM": "decision_quorum",
    "IOM_MEETING_RELEASE_MONTHS": "release_months",
    "IOM_MEETING_THREAT_DAYS": "threat_days",
    "IOM_MEETING_CANDIDATES_MAX": "candidates_max",
    "IOM_MEETING_SCHEDULE_WEEKS_MAX": "schedule_weeks_max",
}


def test_without_variables_the_seeds_defaults_apply(monkeypatch):
    loaded = settings_with(monkeypatch)
    assert asdict(MeetingRules()) == loaded.IOM_MEETING_RULES
    assert loaded.IOM_MEETING_POLICIES == {}


@pytest.mark.parametrize(("variable", "rule"), RULES.items())
def test_each_meeting_rule_is_read(monkeypatch, settings, variable, rule):
    loaded = settings_with(monkeypatch, **{variable: "5"})
    assert {**asdict(MeetingRules()), rule: 5} == loaded.IOM_MEETING_RULES
    settings.IOM_MEETING_RULES = loaded.IOM_MEETING_RULES
    assert getattr(meeting_rules(), rule) == 5


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("IOM_MEETING_DECISION_QUORUM", "three",
     "IOM_MEETING_DECISION_QUORUM must be a whole number, not 'three'"),
    ("IOM_MEETING_DECISION_QUORUM", "0", "IOM_MEETING_DECISION_QUORUM must be at least 1, not 0"),
    ("IOM_MEETING_TASKING_DAYS_PER_WEEK", "8",
     "IOM_MEETING_TASKING_DAYS_PER_WEEK must be from 0 to 7, not 8"),
    ("IOM_MEETING_CANDIDATES_MAX", "-1", "IOM_MEETING_CANDIDATES_MAX must be at least 0, not -1"),
    ("IOM_MEETING_SCHEDULE_WEEKS_MAX", "0",
     "IOM_MEETING_SCHEDULE_WEEKS_MAX must be at least 1, not 0"),
])
def test_a_bad_meeting_rule_is_refused_by_name(monkeypatch, variable, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_with(monkeypatch, **{variable: value})


def test_the_policies_are_read_as_json(monkeypatch):
    loaded = settings_with(monkeypatch, IOM_MEETING_POLICIES='{"Northshire": " london "}')
    assert loaded.IOM_MEETING_POLICIES == {"Northshire": "london"}


def test_the_policies_are_read_from_a_file(monkeypatch, tmp_path):
    path = tmp_path / "policies.json"
    path.write_text('{"Northshire": "derbyshire-2021", "Westshire": "london"}\n',
                    encoding="utf-8")
    loaded = settings_with(monkeypatch, IOM_MEETING_POLICIES_FILE=str(path))
    assert loaded.IOM_MEETING_POLICIES == {"Northshire": "derbyshire-2021", "Westshire": "london"}


@pytest.mark.parametrize(("value", "message"), [
    ("Northshire=london", "IOM_MEETING_POLICIES is not valid JSON"),
    ('["london"]', "IOM_MEETING_POLICIES must be a JSON object of partnership name to scheme "
                   "policy name"),
    ('{"Northshire": 3}', "IOM_MEETING_POLICIES: the value for 'Northshire' must be a name, not 3"),
    ('{"Northshire": " "}', "IOM_MEETING_POLICIES: the value for 'Northshire' must be a name"),
])
def test_bad_policies_are_refused_by_name(monkeypatch, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_with(monkeypatch, IOM_MEETING_POLICIES=value)


def test_a_policy_not_installed_stops_the_start(settings):
    settings.IOM_MEETING_POLICIES = {"Northshire": "london"}
    check_meeting_policies()
    settings.IOM_MEETING_POLICIES = {"Northshire": "londn"}
    with pytest.raises(ImproperlyConfigured, match="IOM_MEETING_POLICIES names scheme policies "
                                                   "that are not installed: londn; installed: "):
        check_meeting_policies()


def _words(text: str) -> str:
    return " ".join(text.split())


OWN = "# Our partnership\n\nWhat is said here stays here.\n\n- Mark papers In Confidence"


@pytest.mark.django_db
@pytest.mark.parametrize("statement", ["", OWN])
def test_the_meeting_and_the_paper_form_show_the_same_statement(world, statement):
    with override_settings(IOM_CONFIDENTIALITY_STATEMENT=statement):
        meeting = arrange(world)
        form = casework.generate_document(nominal=world.person, kind=DocumentKind.CONFIDENTIALITY,
                                          acting_user=world.users["police"], through="test")
    assert meeting.statement == (statement or STATEMENT)
    printed = _words(pdf_text(bytes(form.content)))
    signed = _words(pdf_text(agenda_and_minutes_pdf(export_for(world.users["police"], meeting))))
    for line in meeting.statement.splitlines():
        words = _words(line.removeprefix("# ").removeprefix("- "))
        assert words in printed and words in signed, words
