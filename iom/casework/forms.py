"""Forms for case work. They check shape only; the services check the rules and
their errors are put back on the named fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from iom.accounts.models import District, Organisation, User
from iom.core.dates import GovukDateField
from iom.people.forms import GovukFormMixin

from .compliance import STATUS_LABELS
from .models import (
    ActionPriority,
    ContactKind,
    ContactOutcome,
    NeedLevel,
    NeedStatus,
    OutcomeKind,
    PlanClosure,
    ReferralStatus,
    SourceKind,
    ThreatReviewOutcome,
)
from .pathways import OUTCOME_STATES, pathways_of

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _date(label: str, **kwargs: Any) -> GovukDateField:
    return GovukDateField(label=label, **kwargs)


class CaseworkForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class PlanStartForm(CaseworkForm):
    submit_label = "Start the plan"
    started_on = _date("Date the plan starts")
    summary = forms.CharField(label="Summary (optional)", required=False, widget=TEXTAREA)


class NeedForm(CaseworkForm):
    submit_label = "Save need"
    pathway = forms.ChoiceField(label="Resettlement pathway")
    level = forms.ChoiceField(label="Assessed level", choices=NeedLevel.choices)
    description = forms.CharField(label="What the need is", widget=TEXTAREA)
    assessed_on = _date("Date assessed")

    def __init__(self, *args: Any, pathway_set: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = [("", "Choose"), *pathways_of(pathway_set)]  # type: ignore[attr-defined]


class ServiceReferralForm(CaseworkForm):
    submit_label = "Save referral"
    service = forms.CharField(label="Service offered", max_length=160)
    organisation = forms.ModelChoiceField(label="Partner providing it (optional)",
                                          queryset=Organisation.objects.none(), required=False)
    referred_on = _date("Date offered")

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(partnership_id=partnership_id, active=True)


class ReferralResponseForm(CaseworkForm):
    submit_label = "Save response"
    status = forms.ChoiceField(label="Where the referral stands", choices=ReferralStatus.choices)
    response = forms.CharField(label="How the person responded", widget=TEXTAREA)
    on = _date("Date", subject="the date of the response")


class ProgressForm(CaseworkForm):
    submit_label = "Save progress"
    note = forms.CharField(label="Progress", widget=TEXTAREA)
    recorded_on = _date("Date", subject="the date of the progress")
    status = forms.ChoiceField(label="Where the need stands now (optional)", required=False,
                               choices=[("", "No change"), *NeedStatus.choices])


class OutcomeForm(CaseworkForm):
    submit_label = "Save outcome"
    kind = forms.ChoiceField(label="Outcome", choices=OutcomeKind.choices)
    status = forms.ChoiceField(label="Status", choices=[
        (label, list(states)) for label, states in
        ((OutcomeKind(k).label, v) for k, v in OUTCOME_STATES.items())])
    recorded_on = _date("Date", subject="the date of the outcome")
    note = forms.CharField(label="Note (optional)", required=False, widget=TEXTAREA)


class EndorseForm(CaseworkForm):
    submit_label = "Endorse the plan"
    endorsed_on = _date("Date endorsed")


class ActionForm(CaseworkForm):
    submit_label = "Save action"
    title = forms.CharField(label="What needs to be done", max_length=200)
    owner = forms.ChoiceField(label="Owner")
    due_on = _date("Due date")
    priority = forms.ChoiceField(label="Priority", choices=ActionPriority.choices)
    source_kind = forms.ChoiceField(label="Where the action came from",
                                    choices=SourceKind.choices)
    source_ref = forms.CharField(label="Reference (optional)", required=False, max_length=60)

    def __init__(self, *args: Any, users: QuerySet[User], orgs: QuerySet[Organisation],
                 **kwargs: Any) -> None:
        """``users`` and ``orgs``: those who may own an action about the person
        (``selectors.owner_users`` and ``selectors.owner_organisations``)."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Choose"),
            ("People", [(f"user:{u.pk}", f"{u.display_name} ({u.organisation})") for u in users]),
            ("Organisations", [(f"org:{o.pk}", o.name) for o in orgs])]


class ActionUpdateForm(CaseworkForm):
    submit_label = "Add update"
    note = forms.CharField(label="Update", widget=TEXTAREA)


class ActionCloseForm(CaseworkForm):
    submit_label = "Record result"
    result = forms.CharField(label="Result", widget=TEXTAREA)
    closed_on = _date("Date", subject="the date of the result")
    cancelled = forms.BooleanField(label="The action was cancelled, not done", required=False)


class ContactForm(CaseworkForm):
    submit_label = "Save contact"
    kind = forms.ChoiceField(label="Kind of contact", choices=ContactKind.choices)
    happened_on = _date("Date", subject="the date of the contact")
    outcome = forms.ChoiceField(
        label="Kept or missed", choices=ContactOutcome.choices,
        error_messages={"required": "Select whether the contact was kept or missed"})
    note = forms.CharField(label="Note (optional)", required=False, widget=TEXTAREA)


class PlanCloseForm(CaseworkForm):
    submit_label = "Close the plan"
    reason = forms.ChoiceField(label="Why the plan is closing", choices=PlanClosure.choices,
                               widget=forms.RadioSelect)
    closed_on = _date("Date the plan closes")
    note = forms.CharField(label="Note (needed if you chose another reason)", required=False,
                           widget=TEXTAREA)


class ThreatReviewForm(CaseworkForm):
    submit_label = "Save review"
    outcome = forms.ChoiceField(label="Outcome", choices=ThreatReviewOutcome.choices)
    reviewed_on = _date("Date reviewed")
    rationale = forms.CharField(label="Rationale", widget=TEXTAREA)


class DeregistrationForm(CaseworkForm):
    submit_label = "Record deregistration"
    recorded_on = _date("Date", subject="the date of the deregistration")
    rationale = forms.CharField(label="Rationale", widget=TEXTAREA)


class TagAuditForm(CaseworkForm):
    submit_label = "Record tag audit"
    district = forms.ModelChoiceField(label="District", queryset=District.objects.none())
    month = _date("Any day in the month audited", subject="the month audited")
    completed_on = _date("Date completed")
    findings = forms.CharField(label="Findings: active, inactive, faulty, damaged or lost tags",
                               widget=TEXTAREA, error_messages={"required": "Enter the findings"})

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = District.objects.filter(partnership_id=partnership_id)


RULE_CHOICES = [("plan", "Intervention plan"), ("deregistration", "Deregistration"),
                ("threat_review", "Emerging threat reviews"), ("tag_audit", "Monthly tag audit")]


class ComplianceFilterForm(forms.Form):
    rule = forms.ChoiceField(label="Rule", required=False, choices=[("", "All"), *RULE_CHOICES])
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "All"), *STATUS_LABELS.items()])
    # By name: an item's district is its person's, or the district whose tags it audits.
    district = forms.ChoiceField(label="District", required=False)

    def __init__(self, *args: Any, districts: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [  # type: ignore[attr-defined]
            ("", "All"), *((name, name) for name in districts or [])]
