"""One person's exclusions under a policy as at a day, for the panel's decision.

The same columns as the candidate list (evaluate.py), over a query of one
person, so the panel sees exactly what the list would say about them. It
writes no access-log entry: the decision page and the decision service that
call it log the case they read or change.
"""

from __future__ import annotations

from datetime import date

from iom.cohorts.candidates.evaluate import evaluate, for_sight, gather
from iom.cohorts.candidates.results import ExclusionHit, exclusions_of
from iom.cohorts.policy.schemes import SchemePolicy
from iom.governance.policy import SYSTEM_SIGHT, Sight
from iom.people.models import Nominal


def exclusions_for(nominal: Nominal, chosen: SchemePolicy, as_at: date, *,
                   cohort_type: str = "", sight: Sight = SYSTEM_SIGHT) -> list[ExclusionHit]:
    """The policy's exclusions that apply to the person as at ``as_at``.

    An exclusion that does not apply to a cohort type (its ``not_for``) is left
    out when the person is taken for that type: ``cohort_type`` when given,
    otherwise the type the person meets or nearly meets.
    """
    facts = for_sight(gather(Nominal.objects.filter(pk=nominal.pk), [chosen], as_at), sight)
    table = evaluate(chosen, facts)
    if table.is_empty():
        return []
    row = table.row(0, named=True)
    kind = cohort_type or row["suggested"] or row["nearly"]
    return exclusions_of(chosen, row, facts, kind, sight=sight)
