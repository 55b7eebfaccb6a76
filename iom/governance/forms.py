from __future__ import annotations

from typing import Any

from django import forms

from iom.accounts.models import Organisation
from iom.people.forms import DATE_WIDGET, GovukFormMixin

from .models import ConsentBasis, ConsentStatus, GivenBy


class ConsentForm(GovukFormMixin, forms.Form):
    submit_label = "Record consent decision"
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label="Organisation the decision is about")
    basis = forms.ChoiceField(choices=ConsentBasis.choices, widget=forms.RadioSelect,
                              initial=ConsentBasis.CONSENT, label="Basis for sharing")
    status = forms.ChoiceField(choices=ConsentStatus.choices, widget=forms.RadioSelect,
                               label="Decision")
    decided_on = forms.DateField(widget=DATE_WIDGET, label="Date of the decision")
    given_by = forms.ChoiceField(choices=GivenBy.choices, widget=forms.RadioSelect,
                                 initial=GivenBy.PERSON, label="Who decided")
    guardian_name = forms.CharField(required=False, max_length=120,
                                    label="Parent or guardian's name (youth only)")
    expires_on = forms.DateField(widget=DATE_WIDGET, required=False, label="Expires on")
    note = forms.CharField(required=False, max_length=300, label="Note")
    paperwork = forms.FileField(required=False, label="Signed consent form (PDF, PNG or JPEG)",
                                allow_empty_file=True)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.setup_helper()
        self.helper.form_tag = False  # the page wraps it, to say which form was sent


class InvolvementForm(GovukFormMixin, forms.Form):
    submit_label = "Record involvement"
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label="Organisation working with this person")
    start_date = forms.DateField(widget=DATE_WIDGET, label="From")
    end_date = forms.DateField(widget=DATE_WIDGET, required=False, label="Until (if ended)")
    purpose = forms.CharField(required=False, max_length=200, label="Purpose")

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.setup_helper()
        self.helper.form_tag = False  # the page wraps it, to say which form was sent
