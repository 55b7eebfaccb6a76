from collections.abc import Callable, Iterable
from typing import Any

from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "iom.cohorts"
    label = "cohorts"

    def ready(self) -> None:
        # Refused or withdrawn consent moves a managed person to catch and control (004
        # 1.24): governance calls this as it records the decision, without importing us.
        from iom.cohorts.lifecycle.services import after_consent
        from iom.governance.services import follow_consent_with

        follow_consent_with(after_consent)

        # The nightly scoring run is followed by the day's selection facts, so the first
        # candidate list of the day is fast (selection/snapshot.py).
        from iom.cohorts.candidates.snapshot import after_nightly_run
        from iom.scoring.signals import nightly_run_finished

        nightly_run_finished.connect(after_nightly_run, dispatch_uid="cohorts-selection-facts")

        # And by the day's prompts to plan a young person's move to adult services.
        from iom.cohorts.lifecycle.services.youth import (
            after_nightly_run as youth_after_nightly_run,
        )

        nightly_run_finished.connect(youth_after_nightly_run, dispatch_uid="cohorts-youth")

        # Subject access (governance): the cases and their history; and who leads a
        # person's case, for consent expiry reminders.
        from iom.cohorts import models as m
        from iom.governance.notices import find_leads_with
        from iom.governance.subject_access import hold_for_subject_access

        hold_for_subject_access("case", lambda n: m.CohortMembership.objects.filter(nominal=n))
        for kind, model in (("referral", m.Referral), ("panel_decision", m.PanelDecision),
                            ("rag_change", m.RagChange), ("case_step", m.Transition)):
            hold_for_subject_access(kind, _case_rows(model))
        find_leads_with(_leads)

        from iom.governance.retention import lead_agency_with

        lead_agency_with(_lead_agency)

        from iom.governance.retention import keep_while_in_use

        keep_while_in_use(_open_cases)

        # The lifecycle notices (services/tell.py), worded per reader in the one inbox.
        from iom.cohorts.lifecycle.notice_words import WORDS, notice_words
        from iom.governance.notices import word_notices_with

        word_notices_with(WORDS, notice_words)


def _case_rows(model: Any) -> Callable[[Any], Iterable[Any]]:
    return lambda nominal: model.objects.filter(membership__nominal=nominal)


def _leads(nominal: Any) -> list[Any]:
    """The lead professional of the person's open case, if any."""
    from iom.cohorts.lifecycle import OPEN_STATES
    from iom.cohorts.models import CohortMembership

    case = (CohortMembership.objects.filter(nominal=nominal, state__in=OPEN_STATES)
            .select_related("lead_professional").first())
    return [case.lead_professional] if case and case.lead_professional else []


def _lead_agency(nominal: Any) -> Any:
    """The lead agency of the person's open case, if any."""
    from iom.cohorts.lifecycle import OPEN_STATES
    from iom.cohorts.models import CohortMembership

    case = (CohortMembership.objects.filter(nominal=nominal, state__in=OPEN_STATES)
            .select_related("lead_agency").first())
    return case.lead_agency if case else None


def _open_cases(people: Any) -> Any:
    """People with an open case: their records are in live use (retention keeps them)."""
    from iom.cohorts.lifecycle import OPEN_STATES
    from iom.cohorts.models import CohortMembership

    return CohortMembership.objects.filter(nominal__in=people.values("pk"),
                                           state__in=OPEN_STATES).values_list("nominal_id",
                                                                              flat=True)
