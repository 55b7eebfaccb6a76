from __future__ import annotations

from typing import Any

from django import forms

from iom.core.dates import DayQueryForm, GovukDateField
from iom.people.forms import GovukFormMixin
from iom.scoring.engine import default_config


class AsAtForm(DayQueryForm):
    """The day to recompute the scores as at."""

    field_name = "as_at"
    as_at = GovukDateField(label="Recompute as at", subject="the as-at date")


class Ogrs3Form(GovukFormMixin, forms.Form):
    """The OGRS 3 calculator's inputs (reference: ogrs3.md, "Inputs")."""

    submit_label = "Calculate"
    gender = forms.ChoiceField(choices=[("M", "Male"), ("F", "Female")],
                               widget=forms.RadioSelect, label="Gender")
    date_of_birth = GovukDateField(label="Date of birth")
    date_of_current_conviction = GovukDateField(label="Date of current conviction")
    date_at_start_of_followup = GovukDateField(
        label="Date at start of follow-up",
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


class SuppliedOgrs3Form(GovukFormMixin, forms.Form):
    """An OGRS 3 score worked out by probation, as they gave it."""

    submit_label = "Save supplied score"
    percent_2y = forms.IntegerField(label="OGRS 3 2-year score",
                                    help_text="A whole percent from 1 to 99")
    percent_1y = forms.IntegerField(label="OGRS 3 1-year score (optional)", required=False,
                                    help_text="A whole percent from 1 to 99, if probation gave one")
    assessed_on = GovukDateField(label="Date of the assessment", subject="the assessment date")
    source = forms.CharField(label="Where the score came from", max_length=120,
                             help_text="For example, OASys assessment or the probation case "
                                       "system")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()
