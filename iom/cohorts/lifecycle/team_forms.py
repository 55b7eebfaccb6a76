"""Forms for changing the case team and handing a case to the prison hub (shape only;
the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from iom.accounts.models import CASEWORK_ROLES, Organisation, OrganisationKind, User
from iom.cohorts.lifecycle.forms import TEXTAREA, OrganisationChoice, UserChoice, VersionedForm
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.rules import SchemeTerms
from iom.core.dates import GovukDateField


def _workers(organisations: QuerySet[Organisation]) -> QuerySet[User]:
    return (User.objects.filter(organisation__in=organisations, is_active=True,
                                role__in=CASEWORK_ROLES)
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name"))


class TeamForm(VersionedForm):
    """The case team and cohort type, shown as they are now; change any of them."""

    submit_label = "Save the change"
    cohort_type = forms.ChoiceField(label="Cohort", widget=forms.RadioSelect)
    lead_agency = OrganisationChoice(label="Lead agency", queryset=Organisation.objects.none())
    lead_professional = UserChoice(label="Lead professional", queryset=User.objects.none(),
                                   help_text="Must work for the lead agency.")
    police_officer = UserChoice(label="Police officer", queryset=User.objects.none())
    on = GovukDateField(label="Date of the change")
    reason = forms.CharField(label="Reason for the change", widget=TEXTAREA, required=False,
                             help_text="Everyone working with the case reads it in the "
                                       "case history.")

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], terms: SchemeTerms,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort_type"].choices = list(terms.cohort_types)  # type: ignore[attr-defined]
        self.fields["lead_agency"].queryset = organisations  # type: ignore[attr-defined]
        workers = _workers(organisations)
        self.fields["lead_professional"].queryset = workers  # type: ignore[attr-defined]
        self.fields["police_officer"].queryset = workers.filter(  # type: ignore[attr-defined]
            organisation__kind=OrganisationKind.POLICE)
        self.ready()

    @staticmethod
    def current(case: CohortMembership) -> dict[str, Any]:
        return {"cohort_type": case.cohort_type, "lead_agency": case.lead_agency_id,
                "lead_professional": case.lead_professional_id,
                "police_officer": case.police_officer_id}


class PrisonHubForm(VersionedForm):
    submit_label = "Hand to the prison hub"
    prison_offender_manager = UserChoice(
        label="Prison offender manager", queryset=User.objects.none(),
        help_text="The prison hub's case worker who manages the person in custody. They are "
                  "given the release-planning contact as an action.")
    on = GovukDateField(label="Date of the handover")
    reason = forms.CharField(label="Handover notes", widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prison_offender_manager"].queryset = (  # type: ignore[attr-defined]
            _workers(organisations))
        self.ready()
