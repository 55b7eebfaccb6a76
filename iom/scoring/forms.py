from __future__ import annotations

from typing import Any

from django import forms

from iom.people.forms import DATE_WIDGET, GovukFormMixin
from iom.scoring.engine import default_config


class AsAtForm(forms.Form):
    as_at = forms.DateField(label="Scores as at", widget=DATE_WIDGET,
                            error_messages={"invalid": "Enter a real date"})


class Ogrs3Form(GovukFormMixin, forms.Form):
    """The OGRS 3 calculator's inputs (reference: ogrs3.md, "Inputs")."""

    submit_label = "Calculate"
    gender = forms.ChoiceField(choices=[("M", "Male"), ("F", "Female")],
                               widget=forms.RadioSelect, label="Gender")
    date_of_birth = forms.DateField(widget=DATE_WIDGET, label="Date of birth")
    date_of_current_conviction = forms.DateField(widget=DATE_WIDGET,
                                                 label="Date of current conviction")
    date_at_start_of_followup = forms.DateField(
        widget=DATE_WIDGET, label="Date at start of follow-up",
        help_text="The assessment date, or the date of release or of the start of a "
                  "community sentence")
    total_number_of_sanctions = forms.IntegerField(
        label="Total number of sanctions",
        help_text="Convictions, cautions, reprimands and final warnings, including the "
                  "current one")
    age_at_first_sanction = forms.IntegerField(label="Age at first sanction (years)")
    offence_category = forms.ChoiceField(label="Current offence category")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = default_config().ogrs3.offence_names
        self.fields["offence_category"].choices = [  # type: ignore[attr-defined]
            ("", "Choose"), *names.items()]
        self.setup_helper()
