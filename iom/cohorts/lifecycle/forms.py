"""Forms for the case lifecycle. They check shape only; the services check the
rules, and their refusals are put back on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from iom.accounts.models import CASEWORK_ROLES, Organisation, OrganisationKind, User
from iom.cohorts.lifecycle import RAG_GUIDE, Meeting, Outcome, Rag, Strand
from iom.cohorts.policy.needs import Need
from iom.cohorts.policy.rules import SchemeTerms
from iom.cohorts.policy.schemes import scheme_names
from iom.core.dates import GovukDateField
from iom.people.forms import GovukFormMixin
from iom.people.models import Substance

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _rag_choices(blue: bool) -> list[tuple[str, str]]:
    return [(k, f"{label}: {RAG_GUIDE[k][0][0].lower()}{RAG_GUIDE[k][0][1:]}. "
                f"Response: {RAG_GUIDE[k][1].lower()}") for k, label in Rag.choices
            if blue or k != Rag.BLUE]


class OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OrganisationsChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}, {obj.organisation}"


class VersionedForm(GovukFormMixin, forms.Form):
    """Carries the version of the case the user saw, for the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def ready(self) -> None:
        """Called last by each form, once its choices are known."""
        self.setup_helper()
        self.fields["version"].widget = forms.HiddenInput()

    def refresh_version(self, version: int) -> None:
        """After "the record changed": a deliberate second submission uses the latest."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict: lists kept
        data["version"] = str(version)
        self.data = data


class ReferralForm(GovukFormMixin, forms.Form):
    """The referral form (000 App A; 001 App A)."""

    submit_label = "Send referral"
    policy = forms.ChoiceField(label="Scheme", choices=scheme_names)
    referring_organisation = OrganisationChoice(
        label="Referring agency", queryset=Organisation.objects.none(),
        help_text="A partner outside the statutory agencies needs the person's consent "
                  "decision recorded first.")
    referred_on = GovukDateField(label="Date of referral")
    referrer_name = forms.CharField(label="Referral completed by", max_length=120,
                                    required=False)
    referrer_contact = forms.CharField(label="Contact number", max_length=40, required=False)
    offender_manager = forms.CharField(label="Offender manager, if known", max_length=120,
                                       required=False)
    current_offences = forms.CharField(
        label="Current offences or issues of current concern", widget=TEXTAREA,
        required=False)
    index_offences = forms.CharField(label="Index offences", widget=TEXTAREA, required=False)
    relevant_factors = forms.CharField(label="Other relevant factors", widget=TEXTAREA,
                                       required=False)
    needs = forms.MultipleChoiceField(label="Needs", choices=Need.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    risk_to_community = forms.BooleanField(
        label="The person poses a risk to the community", required=False)
    primary_substance = forms.ChoiceField(
        label="Primary substance", required=False,
        choices=[("", "None or not known"), *Substance.choices])
    ogrs_1y = forms.CharField(label="OGRS score, 12 months (optional)", required=False,
                              max_length=10)
    ogrs_2y = forms.CharField(label="OGRS score, 24 months (optional)", required=False,
                              max_length=10)
    crime_severity = forms.CharField(label="ONS Crime Severity Score (optional)",
                                     required=False, max_length=10)
    current_orders = forms.CharField(label="Current orders or licences", widget=TEXTAREA,
                                     required=False)
    previously_iom = forms.ChoiceField(
        label="Previously on the PPO or IOM scheme?", widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not known")], initial="unknown",
        error_messages={"required": "Select whether the person was on the PPO or IOM scheme "
                                    "before"})
    exceptional_circumstances = forms.CharField(
        label="Exceptional circumstances (optional)", widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referring_organisation"].queryset = organisations  # type: ignore[attr-defined]
        for name in ("ogrs_1y", "ogrs_2y", "crime_severity"):
            self.fields[name].widget.attrs.update(
                {"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"})
        self.setup_helper()


class TransferInForm(GovukFormMixin, forms.Form):
    submit_label = "Record transfer in"
    policy = forms.ChoiceField(label="Scheme", choices=scheme_names)
    from_area = forms.CharField(label="Area transferring from", max_length=120, required=False)
    on = GovukDateField(label="Date of transfer")
    reason = forms.CharField(label="Reason", widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class DecisionForm(VersionedForm):
    submit_label = "Record decision"
    outcome = forms.ChoiceField(label="Decision", choices=Outcome.choices,
                                widget=forms.RadioSelect)
    meeting = forms.ChoiceField(label="Meeting", choices=Meeting.choices,
                                widget=forms.RadioSelect, initial=Meeting.PANEL)
    decided_on = GovukDateField(label="Date of the decision")
    present = OrganisationsChoice(
        label="Agencies present", queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="A tasking meeting needs a quorum of agencies present.")
    agreeing = OrganisationsChoice(
        label="Agencies agreeing", queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Police and probation must both agree to accept or decline.")
    proposed_cohort_type = forms.ChoiceField(label="Proposed cohort (optional)",
                                             required=False)
    rationale = forms.CharField(label="Rationale", widget=TEXTAREA, required=False)
    exclusion_agreement = forms.CharField(
        label="Partnership agreement to include despite an exclusion (optional)",
        # Shown on every person's decision page, to readers who may not see public
        # protection records too: it names no restricted kind of record.
        help_text="Only when the person meets an exclusion of the scheme's policy, such as "
                  "no conviction in the last 6 months at liberty.",
        widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], terms: SchemeTerms,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("present", "agreeing"):
            self.fields[name].queryset = organisations  # type: ignore[attr-defined]
        self.fields["present"].error_messages["required"] = "Select the agencies present"
        self.fields["proposed_cohort_type"].choices = [  # type: ignore[attr-defined]
            ("", "None proposed"), *terms.cohort_types]
        self.ready()


class PlacementForm(VersionedForm):
    submit_label = "Place on the cohort"
    cohort_type = forms.ChoiceField(label="Cohort", widget=forms.RadioSelect)
    rag = forms.ChoiceField(
        label="RAG status", widget=forms.RadioSelect, choices=_rag_choices(blue=False),
        help_text="A person in custody is BLUE whatever is chosen here.")
    lead_agency = OrganisationChoice(label="Lead agency", queryset=Organisation.objects.none())
    lead_professional = UserChoice(label="Lead professional", queryset=User.objects.none(),
                                   help_text="Must work for the lead agency.")
    police_officer = UserChoice(label="Police officer", queryset=User.objects.none())
    placed_on = GovukDateField(label="Date placed on the cohort")
    reason = forms.CharField(label="Reason", widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], terms: SchemeTerms,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort_type"].choices = list(terms.cohort_types)  # type: ignore[attr-defined]
        self.fields["lead_agency"].queryset = organisations  # type: ignore[attr-defined]
        # Only case workers: administrators, analysts and data-protection officers see no
        # named people, so the service refuses them (panel._check_team).
        workers = User.objects.filter(organisation__in=organisations, is_active=True,
                                      role__in=CASEWORK_ROLES
                                      ).select_related("organisation").order_by(
                                          "organisation__name", "last_name", "first_name")
        self.fields["lead_professional"].queryset = workers  # type: ignore[attr-defined]
        self.fields["police_officer"].queryset = workers.filter(  # type: ignore[attr-defined]
            organisation__kind=OrganisationKind.POLICE)
        self.ready()


class RagForm(VersionedForm):
    submit_label = "Change RAG status"
    to = forms.ChoiceField(label="New RAG status", widget=forms.RadioSelect,
                           choices=_rag_choices(blue=True))
    on = GovukDateField(label="Date of the change")
    reason = forms.CharField(label="Reason for the change", widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ready()


class StepForm(VersionedForm):
    """A step that needs a date and a reason; some steps add a field of their own."""

    on = GovukDateField(label="Date")
    reason = forms.CharField(label="Reason", widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, step: str, reason_label: str, submit: str,
                 strands: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        self.submit_label = submit
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = reason_label
        if step == "exit":
            self.fields["supporting_intelligence"] = forms.CharField(
                label="Intelligence that supports exit", widget=TEXTAREA, required=False,
                help_text="Police intelligence showing no further offending.")
            self.fields["monitored"] = forms.BooleanField(
                label="Keep the person in the monitored category after exit", required=False)
        if step == "transfer_out":
            self.fields["to_area"] = forms.CharField(label="Area moving to", max_length=120,
                                                     required=False)
        if step == "change_strand":
            self.fields["strand"] = forms.ChoiceField(
                label="New strand", choices=strands or Strand.choices, widget=forms.RadioSelect,
                help_text="A person who refuses or withdraws consent to share is in catch "
                          "and control until they agree to co-operate.")
        self.ready()
