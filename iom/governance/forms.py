from __future__ import annotations

from typing import Any

from django import forms

from iom.accounts.models import Organisation
from iom.core.dates import GovukDateField, must_follow
from iom.people.forms import GovukFormMixin

from .models import ConsentBasis, ConsentStatus, GivenBy


class ConsentForm(GovukFormMixin, forms.Form):
    submit_label = "Record consent decision"
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label="Organisation the decision is about")
    basis = forms.ChoiceField(choices=ConsentBasis.choices, widget=forms.RadioSelect,
                              initial=ConsentBasis.CONSENT, label="Basis for sharing")
    status = forms.ChoiceField(choices=ConsentStatus.choices, widget=forms.RadioSelect,
                               label="Decision")
    decided_on = GovukDateField(label="Date of the decision")
    given_by = forms.ChoiceField(choices=GivenBy.choices, widget=forms.RadioSelect,
                                 initial=GivenBy.PERSON, label="Who decided")
    guardian_name = forms.CharField(required=False, max_length=120,
                                    label="Parent or guardian's name (youth only)")
    expires_on = GovukDateField(required=False, label="Expires on",
                                subject="the expiry date")
    note = forms.CharField(required=False, max_length=300, label="Note")

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.setup_helper()
        self.helper.form_tag = False  # the page wraps it, to say which form was sent

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        must_follow(self, later="expires_on", earlier="decided_on")
        return cleaned


class InvolvementForm(GovukFormMixin, forms.Form):
    submit_label = "Record involvement"
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label="Organisation working with this person")
    start_date = GovukDateField(label="From", subject="the start date")
    end_date = GovukDateField(required=False, label="Until (if ended)",
                              subject="the end date")
    purpose = forms.CharField(required=False, max_length=200, label="Purpose")

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.setup_helper()
        self.helper.form_tag = False  # the page wraps it, to say which form was sent

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        must_follow(self, later="end_date", earlier="start_date", same_day=True)
        return cleaned
