"""Forms for meetings. They check shape only; the services check the rules and
their errors are put back on the named fields."""

from __future__ import annotations

from typing import Any

from django import forms

from iom.accounts.models import Organisation, User
from iom.casework.models import ActionPriority
from iom.cohorts.lifecycle import Rag
from iom.core.dates import GovukDateField, must_follow
from iom.people.forms import GovukFormMixin
from iom.people.models import Nominal

from .models import DecisionKind, MeetingKind

TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "class": "govuk-input govuk-input--width-5"},
                              format="%H:%M")


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.organisation}"


class PersonChoiceField(forms.ModelChoiceField[Nominal]):
    def label_from_instance(self, obj: Nominal) -> str:
        return f"{obj.surname.upper()}, {obj.forename}, born {obj.date_of_birth:%d/%m/%Y}"


WEEKDAYS = [(str(i), day) for i, day in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])]


class MeetingForm(GovukFormMixin, forms.Form):
    submit_label = "Arrange meeting"
    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(max_length=120, help_text="For example, Northshire City tasking")
    held_on = GovukDateField(label="Date", subject="the date of the meeting")
    start_time = forms.TimeField(label="Start time", widget=TIME_WIDGET)
    location = forms.CharField(max_length=160, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class ScheduleForm(GovukFormMixin, forms.Form):
    submit_label = "Create schedule"
    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(max_length=120)
    weekdays = forms.MultipleChoiceField(label="Days of the week", choices=WEEKDAYS,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="Tasking meets at least 3 days a week.")
    every_weeks = forms.IntegerField(
        label="Every how many weeks", initial=1, min_value=1, max_value=8,
        help_text="1 for weekly, 2 for fortnightly",
        error_messages={"required": "Enter how many weeks apart the meetings are"})
    starts_on = GovukDateField(label="First date", subject="the first date")
    ends_on = GovukDateField(label="Last date", subject="the last date")
    start_time = forms.TimeField(label="Start time", widget=TIME_WIDGET)
    location = forms.CharField(max_length=160, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        must_follow(self, later="ends_on", earlier="starts_on", same_day=True)
        return cleaned


class AttendeeForm(GovukFormMixin, forms.Form):
    submit_label = "Add attendee"
    user = UserChoiceField(label="A user of the partnership", required=False,
                                  queryset=User.objects.none())
    name = forms.CharField(label="Or a guest's name", max_length=120, required=False)
    organisation = forms.ModelChoiceField(label="Guest's organisation", required=False,
                                          queryset=Organisation.objects.none())

    def __init__(self, *args: Any, users: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = users
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organisations
        self.setup_helper()


class ItemForm(GovukFormMixin, forms.Form):
    submit_label = "Add item"
    nominal = PersonChoiceField(label="Person (optional)", required=False,
                                     queryset=Nominal.objects.none())
    title = forms.CharField(max_length=200, required=False,
                            help_text="Needed for an item not about a person")
    notes = forms.CharField(required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nominal"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
        self.setup_helper()


class MinutesForm(GovukFormMixin, forms.Form):
    which = forms.CharField(widget=forms.HiddenInput, initial="minutes")
    submit_label = "Save minutes"
    minutes = forms.CharField(max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="Note the source of any information shared.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class DecisionForm(GovukFormMixin, forms.Form):
    which = forms.CharField(widget=forms.HiddenInput, initial="decision")
    submit_label = "Record decision"
    kind = forms.ChoiceField(label="Decision", choices=DecisionKind.choices,
                             widget=forms.RadioSelect)
    rag = forms.ChoiceField(label="New RAG status (for a RAG change)", required=False,
                            choices=[("", "Choose"), *Rag.choices])
    agreeing = forms.ModelMultipleChoiceField(
        label="Agencies that agree (for accept or decline)", required=False,
        queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple)
    rationale = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    exclusion_agreement = forms.CharField(
        label="Partnership agreement to accept despite an exclusion (optional)",
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        # Shown beside a person's item to every attendee, so it names no restricted kind
        # of record: the exclusions that hit are listed for those who may see them.
        help_text="Only to accept a person an exclusion of the scheme's policy applies to, "
                  "such as no conviction in the last 6 months at liberty.")

    def __init__(self, *args: Any, present: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agreeing"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = present
        self.setup_helper()


class ActionForm(GovukFormMixin, forms.Form):
    which = forms.CharField(widget=forms.HiddenInput, initial="action")
    submit_label = "Raise action"
    title = forms.CharField(label="What needs to be done", max_length=200)
    owner_user = UserChoiceField(label="Owner: a person", required=False,
                                        queryset=User.objects.none())
    owner_organisation = forms.ModelChoiceField(label="Or an organisation", required=False,
                                                queryset=Organisation.objects.none())
    due_on = GovukDateField(label="Due date")
    priority = forms.ChoiceField(choices=ActionPriority.choices, initial=ActionPriority.MEDIUM,
                                 widget=forms.RadioSelect)

    def __init__(self, *args: Any, users: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["owner_user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = users
        org_field = self.fields["owner_organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organisations
        self.setup_helper()


class CancelForm(GovukFormMixin, forms.Form):
    submit_label = "Cancel meeting"
    reason = forms.CharField(label="Why is the meeting cancelled?", max_length=300,
                             error_messages={"required": "Enter why the meeting is cancelled"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()
