"""Forms for the monitoring pages: shape only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from iom.accounts.models import District
from iom.core import bounds
from iom.core.dates import DayQueryForm, GovukDateField
from iom.people.forms import GovukFormMixin

from .models import Device, DeviceState, Purpose, ResultAction
from .services.fittings import RETURN_STATES
from .services.inventory import HAND_STATES

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATETIME_HELP = "Day/month/year and 24-hour time, for example 02/06/2025 14:05 (UK time)"


def _date(label: str, **kwargs: Any) -> GovukDateField:
    return GovukDateField(label=label, **kwargs)


def _moment(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, help_text=DATETIME_HELP,
                               input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                                              "%d/%m/%Y %H:%M"],
                               error_messages={"invalid": f"Enter a date and time. "
                                               f"{DATETIME_HELP}"})


class MonitoringForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


def _districts(form: forms.Form, name: str, districts: QuerySet[District]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = districts


class DeviceForm(MonitoringForm):
    submit_label = "Add the unit"
    district = forms.ModelChoiceField(label="District", queryset=District.objects.none())
    serial = forms.CharField(label="Serial number", max_length=40)
    supplier = forms.CharField(label="Supplier", max_length=80, initial="Buddi")
    added_on = _date("Date received")

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _districts(self, "district", districts)


class StateForm(MonitoringForm):
    submit_label = "Change the state"
    to = forms.ChoiceField(label="New state", choices=[
        (v, label) for v, label in DeviceState.choices if v in HAND_STATES])
    on = _date("Date of the change")
    note = forms.CharField(label="Note (optional)", required=False, max_length=400,
                           widget=TEXTAREA)


class FlexForm(MonitoringForm):
    submit_label = "Ask to move the unit"
    to_district = forms.ModelChoiceField(label="Move to district",
                                         queryset=District.objects.none())
    reason = forms.CharField(label="Why (the demand there)", max_length=400, widget=TEXTAREA)

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _districts(self, "to_district", districts)


class FlexDecisionForm(MonitoringForm):
    submit_label = "Record the decision"
    approve = forms.TypedChoiceField(label="Decision", widget=forms.RadioSelect,
                                     coerce=lambda v: v == "yes",
                                     choices=[("yes", "Approve: the unit moves now"),
                                              ("no", "Refuse")])
    note = forms.CharField(label="Note (optional)", required=False, max_length=400)


class AuditForm(MonitoringForm):
    submit_label = "Record the audit"
    district = forms.ModelChoiceField(label="District", queryset=District.objects.none())
    month = _date("Any day in the month audited")
    note = forms.CharField(label="Note for Local Policing (optional)", required=False,
                           widget=TEXTAREA)

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _districts(self, "district", districts)


class ConsentForm(MonitoringForm):
    submit_label = "Record consent"
    purpose = forms.ChoiceField(label="What the tag is for", choices=Purpose.choices,
                                widget=forms.RadioSelect)
    consented_on = _date("Date the person volunteered and signed the consent")
    planned_start = _date("Planned fitting date")
    planned_end = _date("Planned removal date")
    guardian_name = forms.CharField(
        label="Parent or guardian who consented (under 18s only)", required=False,
        max_length=120)
    guardian_relationship = forms.CharField(label="Their relationship (under 18s only)",
                                            required=False, max_length=60)


class FitForm(MonitoringForm):
    submit_label = "Record the fitting"
    device = forms.ModelChoiceField(label="Unit", queryset=Device.objects.none())
    fitted_at = _moment("Fitted at")
    guardian_present = forms.BooleanField(
        label="A parent or guardian was present (required for under 18s)", required=False)

    def __init__(self, *args: Any, devices: QuerySet[Device], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["device"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = devices


class RemoveForm(MonitoringForm):
    submit_label = "Record the removal"
    removed_at = _moment("Removed at")
    reason = forms.CharField(label="Why the tag came off", max_length=400, widget=TEXTAREA)
    device_state = forms.ChoiceField(label="The unit now", widget=forms.RadioSelect, choices=[
        (v, label) for v, label in DeviceState.choices if v in RETURN_STATES])


class UploadForm(MonitoringForm):
    submit_label = "Upload and import"
    file = forms.FileField(label="File", error_messages={"required": "Choose a file to upload"})

    def __init__(self, *args: Any, help_text: str, parquet: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = help_text
        self.parquet = parquet

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        endings = (".csv", ".parquet", ".pq") if self.parquet else (".csv",)
        if not upload.name.lower().endswith(endings):
            raise forms.ValidationError("The file must be a " + (
                "CSV or Parquet file" if self.parquet else "CSV file"))
        return upload


class RunForm(MonitoringForm):
    submit_label = "Run matching"
    radius_m = forms.IntegerField(label="Radius (metres)", min_value=1, max_value=5000)
    pad_minutes = forms.IntegerField(label="Padding before and after the window (minutes)",
                                     min_value=0, max_value=240)
    max_gap_minutes = forms.IntegerField(label="Longest gap between fixes that still "
                                         "eliminates (minutes)", min_value=1, max_value=240)


class ResultActionForm(MonitoringForm):
    submit_label = "Record what was done"
    action = forms.ChoiceField(label="What was done with this result",
                               choices=ResultAction.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason (needed when discounted)", required=False,
                             max_length=400, widget=TEXTAREA)


class TrailForm(DayQueryForm):
    """The day of a trail (the day before and after links give ``?day=2025-03-04``)."""

    field_name = "day"
    day = GovukDateField(label="Day of the trail", subject="the day")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        day = cleaned.get("day")
        if day is not None and (problem := bounds.date_problem(day, "record")):
            field: GovukDateField = self.fields["day"]  # type: ignore[assignment]
            field.fail_on_whole(self, "day", f"The day {problem[:1].lower()}{problem[1:]}")
        return cleaned
