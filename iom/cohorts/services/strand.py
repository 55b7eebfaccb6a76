"""The strand a managed person is in (004 1.7-1.10, 1.24, 1.28).

A refusal or withdrawal of consent to share does not drop the person from the
cohort: the police allocate them to catch and control until they agree to
co-operate (004 1.24). That move happens by itself when the consent decision
is recorded; a coordinator may also change the strand, with a reason, for
instance back once the person consents again.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from iom.accounts.models import User
from iom.governance.models import Consent, ConsentBasis, ConsentStatus

from .. import selectors
from ..lifecycle import MANAGED_STATES, Step, Strand, is_youth, scheme_terms
from ..models import CohortMembership, Transition
from .base import Problems, bump, move, simple_step

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
    than the adult strand); leaving catch and control needs every refusal of
    consent to have been replaced by consent.
    """
    def check(case: CohortMembership, problems: Problems) -> dict[str, str]:
        rules = scheme_terms(case.policy_name).rules
        youth = is_youth(case.nominal.age_on(on), rules)
        if to not in Strand.values:
            problems.add("to", "Choose a strand from the list.")
            return {}
        if to == case.strand:
            problems.add("to", f"The person is already in {Strand(to).label.lower()}.")
        elif to == Strand.DETER_YOUNG_OFFENDER and not (youth and rules.youth_strand):
            problems.add("to", "Deter Young Offender is for people aged 10 to 17.")
        elif to == Strand.STANDARD and youth and rules.youth_strand:
            problems.add("to", "A person aged 10 to 17 is in the Deter Young Offender "
                               "strand, not the adult one.")
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

    A refusal or withdrawal for a person managed on the cohort moves them to
    catch and control (004 1.24); anything else changes nothing.
    """
    if consent.status not in REFUSALS or consent.basis != ConsentBasis.CONSENT:
        return None
    case = (CohortMembership.objects.select_for_update().select_related("nominal")
            .filter(nominal_id=consent.nominal_id, state__in=MANAGED_STATES).first())
    if case is None or case.strand == Strand.CATCH_AND_CONTROL:
        return None
    bump(case)
    on = max(consent.decided_on, selectors.last_step_on(case))
    was = case.strand
    case.strand = Strand.CATCH_AND_CONTROL
    return move(case, Step.CHANGE_STRAND, on=on, user=acting_user, through=through,
                why="Consent decision recorded", changed=["strand"],
                reason=(f"Consent to share with {consent.organisation} "
                        f"{consent.get_status_display().lower()} on "
                        f"{consent.decided_on:%d %B %Y}: moved to catch and control until "
                        f"the person agrees to co-operate."),
                detail={"consent": consent.pk, "from_strand": Strand(was).label,
                        "to_strand": Strand.CATCH_AND_CONTROL.label, "automatic": "yes"})
