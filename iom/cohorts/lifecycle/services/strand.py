"""The strand a managed person is in (004 1.7-1.10, 1.24, 1.28).

A refusal or withdrawal of consent to share does not drop the person from the
cohort: the police allocate them to catch and control until they agree to
co-operate (004 1.24). That move happens by itself when the consent decision
is recorded, and so does the move back once consent is given again and no
organisation still refuses; a coordinator may also change the strand, with a
reason.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q

from iom.accounts.models import User
from iom.cohorts import selectors
from iom.cohorts.lifecycle import MANAGED_STATES, Step, Strand
from iom.cohorts.lifecycle.services.base import bump, move, simple_step
from iom.cohorts.models import CohortMembership, Transition
from iom.cohorts.policy.rules import is_youth, youth_ages_said
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.errors import Problems
from iom.governance.models import Consent, ConsentBasis, ConsentStatus

REFUSALS = frozenset({ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN})


def refused_consents(case: CohortMembership, on: date) -> list[Consent]:
    """The organisations whose current consent decision (as at ``on``) is a refusal."""
    latest: dict[int, Consent] = {}
    for consent in (Consent.objects.filter(nominal_id=case.nominal_id, decided_on__lte=on,
                                           basis=ConsentBasis.CONSENT)
                    .select_related("organisation").order_by("decided_on", "id")):
        latest[consent.organisation_id] = consent
    return [c for c in latest.values() if c.status in REFUSALS]


@transaction.atomic
def change_strand(*, membership: CohortMembership, version: int, to: str, on: date,
                  reason: str, acting_user: User, through: str,
                  access_reason: str = "") -> Transition:
    """Move a managed person to another strand, with a reason, a date and a decider.

    Deter Young Offender is for people aged 10 to 17 (a youth stays in it rather
    than the adult strand); prevent and deter only where the case's policy version
    runs it (004 1.8, adults or young people); leaving catch and control needs every refusal of
    consent to have been replaced by consent.
    """
    def check(case: CohortMembership, problems: Problems) -> dict[str, str]:
        rules = scheme_terms(case.policy_name, case.policy_version).rules
        youth = is_youth(case.nominal.age_on(on), rules)
        if to not in Strand.values:
            problems.add("to", "Choose a strand from the list.")
            return {}
        if to == case.strand:
            problems.add("to", f"The person is already in {Strand(to).label.lower()}.")
        elif to == Strand.DETER_YOUNG_OFFENDER and not (youth and rules.youth_strand):
            problems.add("to", f"Deter Young Offender is for people {youth_ages_said(rules)}.")
        elif to == Strand.PREVENT_AND_DETER and not rules.prevent_and_deter:
            problems.add("to", "This scheme has no prevent and deter strand.")
        elif to == Strand.STANDARD and youth and rules.youth_strand:
            problems.add("to", f"A person {youth_ages_said(rules)} is in the Deter Young "
                               "Offender strand, not the adult one.")
        elif case.strand == Strand.CATCH_AND_CONTROL and (
                refused := refused_consents(case, on)):
            names = ", ".join(sorted(c.organisation.name for c in refused))
            problems.add("to", f"The person still refuses consent to share with {names}; "
                               f"record their consent before leaving catch and control.")
        return {"from_strand": Strand(case.strand).label, "to_strand": Strand(to).label}

    return simple_step(Step.CHANGE_STRAND, membership=membership, version=version, on=on,
                       reason=reason, acting_user=acting_user, through=through,
                       access_reason=access_reason, check=check, strand=to)


def after_consent(consent: Consent, *, acting_user: User | None, through: str
                  ) -> Transition | None:
    """Called as a consent decision is recorded, in the same transaction.

    For a person managed on the cohort, a refusal or withdrawal moves them to
    catch and control (004 1.24); consent given again, replacing a refusal by
    the same organisation, moves them back once no organisation still refuses
    ("until they agree to co-operate"). Anything else changes nothing.
    """
    if consent.basis != ConsentBasis.CONSENT:
        return None
    case = (CohortMembership.objects.select_for_update().select_related("nominal")
            .filter(nominal_id=consent.nominal_id, state__in=MANAGED_STATES).first())
    if case is None:
        return None
    on = max(consent.decided_on, selectors.last_step_on(case))
    if consent.status in REFUSALS and case.strand != Strand.CATCH_AND_CONTROL:
        return _automatic_move(case, consent, Strand.CATCH_AND_CONTROL, on, acting_user,
                               through)
    if (consent.status == ConsentStatus.GIVEN and case.strand == Strand.CATCH_AND_CONTROL
            and _replaces_a_refusal(consent) and not refused_consents(case, on)):
        return _automatic_move(case, consent, home_strand(case, on), on, acting_user, through)
    return None


def home_strand(case: CohortMembership, on: date) -> str:
    """The strand a person co-operating belongs in: Deter Young Offender for a youth
    where the case's policy version runs it (004 1.28), otherwise the standard one."""
    rules = scheme_terms(case.policy_name, case.policy_version).rules
    if rules.youth_strand and is_youth(case.nominal.age_on(on), rules):
        return Strand.DETER_YOUNG_OFFENDER
    return Strand.STANDARD


def _replaces_a_refusal(consent: Consent) -> bool:
    """Consent given again: the organisation's decision before this one was a refusal."""
    before = (Consent.objects.filter(nominal_id=consent.nominal_id,
                                     organisation_id=consent.organisation_id,
                                     basis=ConsentBasis.CONSENT)
              .filter(Q(decided_on__lt=consent.decided_on)
                      | Q(decided_on=consent.decided_on, pk__lt=consent.pk))
              .order_by("-decided_on", "-pk").first())
    return before is not None and before.status in REFUSALS


def _automatic_move(case: CohortMembership, consent: Consent, to: str, on: date,
                    user: User | None, through: str) -> Transition:
    bump(case)
    was = case.strand
    case.strand = to
    status, day = consent.get_status_display().lower(), f"{consent.decided_on:%-d %B %Y}"
    if to == Strand.CATCH_AND_CONTROL:
        reason = (f"Consent to share with {consent.organisation} {status} on {day}: moved to "
                  f"catch and control until the person agrees to co-operate.")
    else:
        reason = (f"Consent to share with {consent.organisation} given again on {day} and no "
                  f"organisation still refuses: moved back from catch and control to "
                  f"{Strand(to).label.lower()}.")
    return move(case, Step.CHANGE_STRAND, on=on, user=user, through=through,
                why="Consent decision recorded", changed=["strand"], reason=reason,
                detail={"consent": consent.pk, "from_strand": Strand(was).label,
                        "to_strand": Strand(to).label, "automatic": "yes"})
