"""Pages for changing the case team or cohort type, and handing a case to the prison hub.

Like every change page (case_views.py): the access policy first, the viewing
reason, then one service; only the scheme's deciding agencies may open them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iom.cohorts import selectors
from iom.cohorts.lifecycle import services
from iom.cohorts.lifecycle.services.team import check_may_change_team
from iom.cohorts.lifecycle.team_forms import PrisonHubForm, TeamForm
from iom.cohorts.lifecycle.views import (
    _case,
    _done,
    _log_case,
    _page,
    _partners,
    _refused,
    _user,
    _versioned,
)
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.schemes import scheme_terms
from iom.core.errors import DomainError
from iom.governance.web import casework_only, person_for_view, through_of
from iom.people.models import Nominal


def _deciding(request: HttpRequest, pk: int) -> tuple[Nominal, str, CohortMembership]:
    """The person and their case, if the user is of a deciding agency: refused before the
    viewing reason is asked, since nothing would be shown."""
    user = _user(request)
    nominal = selectors.access_nominal_for_cohort_change(user, pk)
    check_may_change_team(user, _case(nominal))
    found, why = person_for_view(request, nominal.pk)
    return found, why, _case(found)


@casework_only
@require_http_methods(["GET", "POST"])
def change_team(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    nominal, why, case = _deciding(request, pk)
    arguments = _versioned(request, case)
    arguments["initial"] |= TeamForm.current(case)
    form = TeamForm(**arguments, organisations=_partners(user),
                    terms=scheme_terms(case.policy_name, case.policy_version))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_team(
                membership=case, version=data["version"], on=data["on"],
                reason=data["reason"], cohort_type=data["cohort_type"],
                lead_agency=data["lead_agency"], lead_professional=data["lead_professional"],
                police_officer=data["police_officer"], acting_user=user,
                through=through_of(request), access_reason=why)
        except DomainError as error:
            case = _refused(form, error, case) or case
        else:
            return _done(request, nominal, "The change to the case team is recorded.")
    _log_case(request, nominal, case, why)
    return _page(request, nominal, case, form, "Change the case team or cohort type")


@casework_only
@require_http_methods(["GET", "POST"])
def prison_hub(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    nominal, why, case = _deciding(request, pk)
    form = PrisonHubForm(**_versioned(request, case), organisations=_partners(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hand_to_prison_hub(
                membership=case, version=data["version"], on=data["on"],
                reason=data["reason"],
                prison_offender_manager=data["prison_offender_manager"], acting_user=user,
                through=through_of(request), access_reason=why)
        except DomainError as error:
            case = _refused(form, error, case) or case
        else:
            return _done(request, nominal, "Handed to the prison hub; the release-planning "
                                           "contact is an action for the prison offender "
                                           "manager.")
    _log_case(request, nominal, case, why)
    spell = selectors.custody_on(nominal.pk, timezone.localdate())
    return _page(request, nominal, case, form, "Hand to the prison hub", hub=True,
                 hub_custody=spell, hub_release=selectors.release_of(spell) if spell else None)
