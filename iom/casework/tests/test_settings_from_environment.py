"""The case work settings come from the environment and bad values stop the start."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from django.core.exceptions import ImproperlyConfigured

from iom.casework.confidentiality import STATEMENT, confidentiality_statement
from iom.casework.pathways import check_pathway_set, current_pathway_set
from iom.casework.rules import ComplianceRules, compliance_rules
from iom.core.testing import settings_with

COMPLIANCE = {
    "IOM_COMPLIANCE_PLAN_WITHIN_WORKING_DAYS": "plan_within_working_days",
    "IOM_COMPLIANCE_DEREGISTRATION_WITHIN_WORKING_DAYS": "deregistration_within_working_days",
    "IOM_COMPLIANCE_THREAT_REVIEWS_NEEDED": "threat_reviews_needed",
    "IOM_COMPLIANCE_THREAT_REVIEW_PERIOD_WORKING_DAYS": "threat_review_period_working_days",
    "IOM_COMPLIANCE_TAG_AUDIT_DUE_WORKING_DAY_OF_NEXT_MONTH":
        "tag_audit_due_working_day_of_next_month",
}


def test_without_variables_the_seeds_defaults_apply(monkeypatch):
    loaded = settings_with(monkeypatch)
    assert asdict(ComplianceRules()) == loaded.IOM_COMPLIANCE
    assert loaded.IOM_PATHWAY_SET == "seven"
    assert loaded.IOM_CONFIDENTIALITY_STATEMENT == ""


@pytest.mark.parametrize(("variable", "rule"), COMPLIANCE.items())
def test_each_compliance_rule_is_read(monkeypatch, variable, rule):
    loaded = settings_with(monkeypatch, **{variable: "9"})
    assert {**asdict(ComplianceRules()), rule: 9} == loaded.IOM_COMPLIANCE


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("IOM_COMPLIANCE_PLAN_WITHIN_WORKING_DAYS", "seven",
     "IOM_COMPLIANCE_PLAN_WITHIN_WORKING_DAYS must be a whole number, not 'seven'"),
    ("IOM_COMPLIANCE_DEREGISTRATION_WITHIN_WORKING_DAYS", "0",
     "IOM_COMPLIANCE_DEREGISTRATION_WITHIN_WORKING_DAYS must be at least 1, not 0"),
    ("IOM_COMPLIANCE_THREAT_REVIEWS_NEEDED", "-2",
     "IOM_COMPLIANCE_THREAT_REVIEWS_NEEDED must be at least 1, not -2"),
    ("IOM_COMPLIANCE_TAG_AUDIT_DUE_WORKING_DAY_OF_NEXT_MONTH", "21",
     "IOM_COMPLIANCE_TAG_AUDIT_DUE_WORKING_DAY_OF_NEXT_MONTH must be from 1 to 20, not 21"),
])
def test_a_bad_compliance_rule_is_refused_by_name(monkeypatch, variable, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_with(monkeypatch, **{variable: value})


def test_the_rules_follow_the_setting(settings):
    settings.IOM_COMPLIANCE = {**asdict(ComplianceRules()), "threat_reviews_needed": 3}
    assert compliance_rules().threat_reviews_needed == 3


def test_the_pathway_list_is_read_and_checked(monkeypatch, settings):
    settings.IOM_PATHWAY_SET = settings_with(monkeypatch, IOM_PATHWAY_SET="ten").IOM_PATHWAY_SET
    check_pathway_set()
    assert current_pathway_set() == "ten"
    settings.IOM_PATHWAY_SET = "eight"
    with pytest.raises(ImproperlyConfigured,
                       match="IOM_PATHWAY_SET must be one of seven, ten, not 'eight'"):
        check_pathway_set()


def test_the_statement_is_read_from_the_variable(monkeypatch, settings):
    loaded = settings_with(monkeypatch, IOM_CONFIDENTIALITY_STATEMENT="  Kept in confidence. ")
    settings.IOM_CONFIDENTIALITY_STATEMENT = loaded.IOM_CONFIDENTIALITY_STATEMENT
    assert confidentiality_statement() == "Kept in confidence."
    settings.IOM_CONFIDENTIALITY_STATEMENT = ""
    assert confidentiality_statement() == STATEMENT


def test_the_statement_is_read_from_a_file(monkeypatch, tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text("First paragraph.\n\nSecond paragraph.\n", encoding="utf-8")
    loaded = settings_with(monkeypatch, IOM_CONFIDENTIALITY_STATEMENT_FILE=str(path))
    assert loaded.IOM_CONFIDENTIALITY_STATEMENT == "First paragraph.\n\nSecond paragraph."


def test_a_missing_or_empty_statement_file_is_refused(monkeypatch, tmp_path):
    missing = str(tmp_path / "nowhere.txt")
    with pytest.raises(ImproperlyConfigured,
                       match="IOM_CONFIDENTIALITY_STATEMENT_FILE names a file that cannot be read"):
        settings_with(monkeypatch, IOM_CONFIDENTIALITY_STATEMENT_FILE=missing)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured,
                       match="IOM_CONFIDENTIALITY_STATEMENT_FILE names an empty file"):
        settings_with(monkeypatch, IOM_CONFIDENTIALITY_STATEMENT_FILE=str(empty))
