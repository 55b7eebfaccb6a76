"""From referral to the panel: refer, transfer in, research, send to the panel."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import Organisation, OrganisationKind, User
from iom.cohorts import selectors
from iom.cohorts.lifecycle import NEW, CohortState, Step, Strand
from iom.cohorts.lifecycle.services.base import (
    check_day,
    check_reason,
    move,
    open_case,
    simple_step,
)
from iom.cohorts.models import CohortMembership, Referral, Transition
from iom.cohorts.policy.needs import NAMED_PARTNER_NEEDS, Need
from iom.cohorts.policy.rules import SchemeTerms, is_youth
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.errors import Problems
from iom.governance import policy
from iom.governance.models import GivenBy
from iom.governance.policy import SYSTEM_SIGHT
from iom.people.models import Nominal, Substance
from iom.scoring.engine.words import score_in_words
from iom.scoring.models import ScoreName
from iom.scoring.services import scores_for

TEXTS = {"referrer_name": 120, "referrer_contact": 40, "offender_manager": 120,
         "current_offences": 4000, "index_offences": 4000, "relevant_factors": 4000,
         "current_orders": 2000, "exceptional_circumstances": 4000}
SCORE_TITLES = dict(ScoreName.choices)
REQUIRED = {"referrer_name": "Enter who completed the referral.",
            "current_offences": "Enter the current offences or issues of current concern."}


@transaction.atomic
def refer(*, nominal: Nominal, policy_name: str, referring_organisation: Organisation,
          referred_on: date, fields: dict[str, Any], acting_user: User, through: str,
          access_reason: str = "") -> CohortMembership:
    """Open a case with the referral form (000 App A, 001 App A; 002 step 1).

    A partner (non-statutory) referral needs the person's consent decision for
    that partner: given, the case goes ahead; refused or withdrawn, the person
    is not dropped but goes to the catch and control strand (004 1.24).
    """
    terms = scheme_terms(policy_name)
    problems = Problems()
    clean = clean_referral(fields, problems)
    check_day(problems, "referred_on", referred_on, None, nominal)
    if referring_organisation.partnership_id != nominal.partnership_id:
        problems.add("referring_organisation", "The referring agency is not a partner here.")
    consent = _partner_consent(problems, nominal, referring_organisation, referred_on, terms)
    _check_partner_needs(problems, terms, referring_organisation, clean)
    strand = strand_for(problems, nominal, referred_on, terms, consent)
    if (current := selectors.open_case(nominal)) is not None:
        problems.add("nominal", f"This person already has an open case "
                                f"({current.get_state_display().lower()}).")
    problems.raise_if_any("The referral was not recorded.")
    case = open_case(nominal, terms, CohortState.REFERRED, strand=strand, opened_on=referred_on)
    referral = Referral.objects.create(
        membership=case, referred_on=referred_on, referring_organisation=referring_organisation,
        consent_status=consent, recorded_by=acting_user, **clean)
    move(case, Step.REFER, on=referred_on, before=NEW, user=acting_user, through=through,
         why=access_reason, reason=f"Referred by {clean['referrer_name']} of "
                                   f"{referring_organisation}",
         detail={"referral": referral.pk, "strand": strand, "consent": consent})
    return case


def clean_referral(raw: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The referral form's fields, checked; every problem is named by its field."""
    clean: dict[str, Any] = {}
    for name, longest in TEXTS.items():
        value = str(raw.get(name) or "").replace("\x00", "").strip()
        if len(value) > longest:
            problems.add(name, f"Must be {longest} characters or fewer.")
        elif not value and name in REQUIRED:
            problems.add(name, REQUIRED[name])
        clean[name] = value
    needs = raw.get("needs") or []
    if not isinstance(needs, list | tuple) or any(n not in Need.values for n in needs):
        problems.add("needs", "Choose needs from the list.")
        needs = []
    clean["needs"] = sorted(set(needs))
    clean["primary_substance"] = str(raw.get("primary_substance") or "")
    if clean["primary_substance"] not in ("", *Substance.values):
        problems.add("primary_substance", "Choose a substance from the list.")
    for name in ("ogrs_1y", "ogrs_2y"):
        clean[name] = _number(problems, name, raw.get(name), 0, 100)
    css = _number(problems, "crime_severity", raw.get("crime_severity"), 0, 10**7)
    clean["crime_severity"] = int(css) if css is not None else None
    clean["previously_iom"] = _yes_no(problems, "previously_iom", raw.get("previously_iom"))
    clean["risk_to_community"] = bool(raw.get("risk_to_community"))
    return clean


def _number(problems: Problems, name: str, value: Any, low: float, high: float
            ) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.add(name, "Enter a number.")
        return None
    if not low <= number <= high:
        problems.add(name, f"Enter a number from {low:g} to {high:g}.")
        return None
    return number


def _yes_no(problems: Problems, name: str, value: Any) -> bool | None:
    if value in (None, "", "unknown"):
        return None
    if value in (True, "yes", "true"):
        return True
    if value in (False, "no", "false"):
        return False
    problems.add(name, "Answer yes, no or not known.")
    return None


def _partner_consent(problems: Problems, nominal: Nominal, organisation: Organisation,
                     on: date, terms: SchemeTerms) -> str:
    """The partner's consent on record: given, refused (or withdrawn), or a problem.

    For a person aged 10 to 17 the decision must be a parent or guardian's (004).
    """
    if organisation.is_statutory:
        return "not_needed"
    latest = policy.consent_decision(nominal, organisation, on)
    if latest is None:
        problems.add("referring_organisation", f"Record the person's consent decision for "
                                               f"{organisation} before a partner referral.")
        return ""
    if (is_youth(nominal.age_on(on), terms.rules)
            and latest.given_by != GivenBy.PARENT_OR_GUARDIAN):
        problems.add("referring_organisation", f"The person is aged {nominal.age_on(on)}: "
                                               f"record a parent or guardian's consent "
                                               f"decision for {organisation} before a "
                                               f"partner referral.")
        return ""
    if policy.is_current_consent(latest, on):
        return "given"
    return "refused"


def _check_partner_needs(problems: Problems, terms: SchemeTerms, organisation: Organisation,
                         clean: dict[str, Any]) -> None:
    """Partners outside police and probation refer on named needs (000 s4)."""
    wanted = terms.rules.partner_referral_min_needs
    if not wanted or organisation.kind in {OrganisationKind.POLICE, OrganisationKind.PROBATION}:
        return
    counted = frozenset(terms.partner_needs) or NAMED_PARTNER_NEEDS
    named = counted & set(clean["needs"])
    if len(named) < wanted and not clean["risk_to_community"]:
        listed = "; ".join(Need(n).label.lower() for n in sorted(counted))
        problems.add("needs", f"A partner referral under {terms.title} needs at least "
                              f"{wanted} of: {listed} (or a risk to the community).")


def strand_for(problems: Problems, nominal: Nominal, on: date, terms: SchemeTerms,
               consent: str) -> str:
    """Standard, Deter Young Offender (10-17) or, after refused consent, catch and control."""
    age = nominal.age_on(on)
    low, _ = terms.rules.youth_ages
    if age < low:
        problems.add("nominal", f"A child under {low} cannot be referred.")
    elif is_youth(age, terms.rules) and not terms.rules.youth_strand:
        problems.add("nominal", f"{terms.title} runs no youth strand for a {age}-year-old.")
    if consent == "refused":
        return Strand.CATCH_AND_CONTROL
    return Strand.DETER_YOUNG_OFFENDER if is_youth(age, terms.rules) else Strand.STANDARD


@transaction.atomic
def transfer_in(*, nominal: Nominal, policy_name: str, from_area: str, on: date, reason: str,
                acting_user: User, through: str, access_reason: str = "") -> CohortMembership:
    """A PPO or IOM case from another area goes straight to the panel (000 s4, 001 s6).

    Earlier cases, including one transferred out, stay as they were: history.
    """
    terms = scheme_terms(policy_name)
    problems = Problems()
    reason = check_reason(problems, "reason", reason)
    area = from_area.replace("\x00", "").strip()[:120]
    if not area:
        problems.add("from_area", "Enter the area the person is transferring from.")
    check_day(problems, "on", on, None, nominal)
    strand = strand_for(problems, nominal, on, terms, "not_needed")
    if selectors.open_case(nominal) is not None:
        problems.add("nominal", "This person already has an open case.")
    problems.raise_if_any("The transfer was not recorded.")
    case = open_case(nominal, terms, CohortState.AWAITING_PANEL, strand=strand, opened_on=on,
                     transferred_from=area)
    move(case, Step.TRANSFER_IN, on=on, before=NEW, reason=reason, user=acting_user,
         through=through, why=access_reason, detail={"from_area": area})
    return case


@transaction.atomic
def start_research(*, membership: CohortMembership, version: int, on: date, reason: str,
                   acting_user: User, through: str, access_reason: str = "") -> Transition:
    """The IOM team collates multi-agency data on the person (002 step 3)."""
    return simple_step(Step.START_RESEARCH, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason)


@transaction.atomic
def send_to_panel(*, membership: CohortMembership, version: int, on: date, reason: str,
                  acting_user: User, through: str, access_reason: str = "") -> Transition:
    """Research done: the scores as at that day go to the panel with the case (002 step 2).

    They are kept with the step as the partnership's record, from every record
    (the system's sight); a page shows them to a reader only through their own sight.
    """
    results = scores_for(membership.nominal, min(on, timezone.localdate()), sight=SYSTEM_SIGHT)
    scores = "; ".join(
        score_in_words(SCORE_TITLES.get(name, name), r.value, r.band,
                       getattr(r, "percent_2y", None)) for name, r in results.items())
    return simple_step(Step.SEND_TO_PANEL, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, detail={"scores": scores})
