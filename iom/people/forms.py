"""Forms for people and their records. They check shape only; the services
check the rules and their errors are put back on the named fields."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms

from iom.core import bounds
from iom.core.dates import GovukDateField
from iom.core.errors import DomainError
from iom.core.form_messages import say_what_is_missing, upper_first

from .models import Nominal
from .offences import offence_choices
from .services import RECORD_KINDS

RECORD_FIELDS: dict[str, list[str]] = {
    "event": ["kind", "event_date", "offence_date", "ho_code", "disposal", "sentence",
              "domestic_abuse", "court", "description"],
    "case_date": ["kind", "date", "ho_code", "location", "description"],
    "wanted_missing": ["kind", "start_date", "end_date", "reason"],
    "custody": ["custody_type", "start_date", "expected_release_date", "actual_release_date",
                "establishment", "sentence_length_days"],
    "order": ["kind", "start_date", "end_date", "requirements", "acquisitive_crime_tag"],
    "protection": ["kind", "mappa_level", "mappa_category", "start_date", "end_date", "notes"],
    "intelligence": ["recorded_date", "grading_system", "source_grade", "intel_grade",
                     "handling_code", "crime_type", "summary"],
    "alias": ["forename", "surname", "date_of_birth"],
    "address": ["line1", "line2", "town", "postcode", "from_date", "to_date"],
    "flag": ["kind", "description", "start_date"],
}

RECORD_TITLES = {
    "event": "an arrest, charge, conviction, caution, breach or recall",
    "case_date": "a pending case, court date or bail date",
    "wanted_missing": "a wanted or missing period",
    "custody": "a custody period",
    "order": "an order or licence",
    "protection": "MAPPA or sex-offender registration",
    "intelligence": "an intelligence entry",
    "alias": "an alias",
    "address": "an address",
    "flag": "a flag or warning",
}


class GovukFormMixin:
    submit_label = "Save"

    def setup_helper(self) -> None:
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        # Server-side errors in the GOV.UK style, not the browser's own bubbles.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", self.submit_label))
        _friendly_blank_choices(self)
        _numbers_as_text(self)
        say_what_is_missing(self)  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any] | None:
        """The form's own checks, then the bounds every input is held to
        (iom/core/bounds.py: no NUL, text capped, dates and numbers in range)."""
        cleaned: dict[str, Any] | None = super().clean()  # type: ignore[misc]
        bounds.check_form(self)
        return cleaned

    def add_domain_error(self, error: DomainError) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        if not error.problems:
            form.add_error(None, error.message)
        for problem in error.problems:
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, _on_this_date(form, field, problem.message))


def _on_this_date(form: forms.Form, name: str | None, message: str) -> str:
    """A service says "The date cannot be ..."; on a page with several dates the message
    names which: "The date of the change cannot be in the future"."""
    field = form.fields.get(name) if name else None
    if not isinstance(field, GovukDateField) or not message.startswith("The date "):
        return message
    return upper_first(field.subject) + message.removeprefix("The date").rstrip(".")


def _numbers_as_text(form: Any) -> None:
    """GOV.UK asks for whole numbers in a text box with a numeric keypad, not type=number."""
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField) and not field.widget.is_hidden:
            field.widget = forms.TextInput(attrs={
                "class": "govuk-input govuk-input--width-4", "inputmode": "numeric",
                "spellcheck": "false"})


def _friendly_blank_choices(form: Any) -> None:
    for field in form.fields.values():
        if not isinstance(field, forms.ChoiceField):
            continue
        choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
        if choices and choices[0][0] == "":
            field.choices = [("", "Choose"), *choices[1:]]


def _dates_as_widgets(form: forms.BaseForm) -> None:
    """A model's date fields as GOV.UK date inputs (day, month and year)."""
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.DateField):
            form.fields[name] = GovukDateField(
                label=str(field.label), required=field.required, help_text=field.help_text,
                initial=field.initial)  # never "bday": it is someone else's birthday


class NominalForm(GovukFormMixin, forms.ModelForm[Nominal]):
    submit_label = "Save person"

    class Meta:
        model = Nominal
        fields = ["forename", "middle_names", "surname", "date_of_birth", "gender", "ethnicity",
                  "pnc_id", "crn", "district", "primary_substance"]
        help_texts = {
            "pnc_id": "For example, 2012/0012345X",
            "crn": "One letter and six digits, for example N123456",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates_as_widgets(self)
        self.setup_helper()

    def _post_clean(self) -> None:
        """Leave uniqueness and identifier rules to the service, which names the field."""


def record_form_class(kind: str) -> type[forms.ModelForm[Any]]:
    model = RECORD_KINDS[kind][0]
    fields = RECORD_FIELDS[kind]

    class RecordForm(GovukFormMixin, forms.ModelForm):  # type: ignore[type-arg]
        class Meta:
            pass

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            _dates_as_widgets(self)
            if "ho_code" in self.fields:
                self.fields["ho_code"] = forms.ChoiceField(
                    label="Home Office offence code",
                    choices=[("", "Choose an offence"), *offence_choices()],
                    required=False,
                )
            self.setup_helper()

        def _post_clean(self) -> None:
            """The service checks the rules; the form only parses."""

    RecordForm.Meta.model = model
    RecordForm.Meta.fields = fields
    return forms.modelform_factory(model, form=RecordForm, fields=fields)


class ReasonForm(GovukFormMixin, forms.Form):
    submit_label = "Continue"
    PURPOSES = [
        (text, text) for text in (
            "Case management: new referral or allocation",
            "Tasking or panel meeting preparation",
            "Responding to an incident or intelligence",
            "Covering for a colleague",
        )
    ] + [("other", "Another reason")]
    purpose = forms.ChoiceField(
        label="Why do you need to view this person?", choices=PURPOSES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to view this person"},
    )
    detail = forms.CharField(
        label="Give details", required=False, max_length=300,
        help_text="Required if you chose another reason. At least 10 characters.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        purpose, detail = data.get("purpose"), (data.get("detail") or "").strip()
        if purpose == "other":
            if len(detail) < 10:
                self.add_error("detail", "Give details of at least 10 characters")
            data["reason"] = detail
        elif purpose:
            data["reason"] = f"{purpose}. {detail}".strip(". ") if detail else purpose
        return data


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name, PNC ID, CRN or date of birth", max_length=100, required=False,
        help_text="For example, Jon Smith, 2012/0012345X, N123456 or 21/03/1990",
    )


class Ogrs3CategoryForm(GovukFormMixin, forms.Form):
    """The exact OGRS 3 category of one conviction, from the categories its code allows."""

    submit_label = "Save category"
    ogrs3_category = forms.ChoiceField(
        label="OGRS 3 offence category", required=False,
        help_text="The category of the exact offence, for example possession with intent to "
                  "supply is Drug possession or supply. Choose 'Not recorded' to clear it.")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], recorded: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ogrs3_category"]
        assert isinstance(field, forms.ChoiceField)
        self.setup_helper()
        # With a category recorded, the empty choice clears it, and says so; with none,
        # it is the usual "Choose" and choosing nothing is refused by the service.
        field.choices = [("", "Not recorded" if recorded else "Choose"), *choices]
        if not recorded:
            field.help_text = str(field.help_text).removesuffix(
                " Choose 'Not recorded' to clear it.")
