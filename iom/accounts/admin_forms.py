"""Forms of the administration area. They check shape only; the services check
the rules, and their errors are put back on the named fields."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Layout, Size, Submit
from django import forms

from iom.core.errors import DomainError

from . import services
from .models import Organisation, OrganisationKind, Role, User

YES_NO = [("yes", "Yes"), ("no", "No")]


def _is_yes(value: str) -> bool:
    return value == "yes"


class GovukForm(forms.Form):
    submit_label = "Save"
    form_method = "post"

    def setup_helper(self) -> None:
        # Passing the form builds a layout, so that crispy leaves non-field
        # errors to the GOV.UK error summary at the top of the page.
        self.helper = FormHelper(self)
        self.helper.form_method = self.form_method
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))

    def add_domain_error(self, error: DomainError) -> None:
        if not error.problems:
            self.add_error(None, error.message)
        for problem in error.problems:
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, problem.message)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        # crispy-forms-gds gives text inputs and selects the red error border,
        # but not email or password inputs, so those get it here.
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if isinstance(widget, forms.EmailInput | forms.PasswordInput):
                classes = set(widget.attrs.get("class", "").split()) | {"govuk-input--error"}
                widget.attrs["class"] = " ".join(sorted(classes))


class OrganisationForm(GovukForm):
    name = forms.CharField(label="Name", max_length=160,
                           error_messages={"required": "Enter the organisation's name"})
    kind = forms.ChoiceField(
        label="Type of organisation",
        choices=[("", "Choose a type"), *OrganisationKind.choices],
        error_messages={"required": "Select the type of organisation"},
    )
    is_statutory = forms.TypedChoiceField(
        label="Is this a statutory partner?", choices=YES_NO, coerce=_is_yes,
        widget=forms.RadioSelect,
        help_text="A statutory partner may see and share offender information without the "
                  "person's consent. Voluntary and commissioned partners usually are not.",
        error_messages={"required": "Select whether this is a statutory partner"},
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["active"] = forms.BooleanField(
                label="Active", required=False,
                help_text="Users of an inactive organisation cannot see anyone's records.",
            )
        self.submit_label = "Save changes" if editing else "Add organisation"
        self.setup_helper()

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, Any]:
        return {"name": organisation.name, "kind": organisation.kind,
                "is_statutory": "yes" if organisation.is_statutory else "no",
                "active": organisation.active}


class DistrictForm(GovukForm):
    name = forms.CharField(label="Name", max_length=120,
                           error_messages={"required": "Enter the district's name"})

    def __init__(self, *args: Any, submit_label: str = "Save", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label
        self.setup_helper()


def _placement_fields(form: forms.Form, admin: User) -> None:
    """Organisation, district and role, offering only the admin's partnership."""
    form.fields["organisation"] = forms.ModelChoiceField(
        label="Organisation", queryset=services.organisations_managed_by(admin),
        empty_label="Choose an organisation",
        error_messages={"required": "Select an organisation"},
    )
    form.fields["district"] = forms.ModelChoiceField(
        label="District", queryset=services.districts_managed_by(admin), required=False,
        empty_label="No district",
    )
    form.fields["role"] = forms.ChoiceField(
        label="Role", choices=[("", "Choose a role"), *Role.choices],
        error_messages={"required": "Select a role"},
    )


class UserCreateForm(GovukForm):
    submit_label = "Add user"
    username = forms.CharField(label="Username", max_length=150,
                               help_text="Letters, digits and @ . + - _ only",
                               error_messages={"required": "Enter a username"})
    first_name = forms.CharField(label="First name", max_length=150,
                                 error_messages={"required": "Enter a first name"})
    last_name = forms.CharField(label="Last name", max_length=150,
                                error_messages={"required": "Enter a last name"})
    email = forms.EmailField(label="Email address", max_length=254,
                             error_messages={"required": "Enter an email address"})

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _placement_fields(self, admin)
        self.fields["password"] = forms.CharField(
            label="Password", strip=False,
            help_text="At least 12 characters, not a common password and not like their name",
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "Enter a password"},
        )
        self.setup_helper()


class UserEditForm(GovukForm):
    submit_label = "Save changes"

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _placement_fields(self, admin)
        self.fields["active"] = forms.BooleanField(
            label="Active", required=False,
            help_text="An inactive user cannot sign in or use their API tokens.",
        )
        self.fields["view_intelligence"] = forms.BooleanField(
            label="Can view police intelligence", required=False,
            help_text="A named permission for non-police case workers who need it. "
                      "Police users see intelligence without it.",
        )
        self.fields["service_account"] = forms.BooleanField(
            label="This is a service account", required=False,
            help_text="An account for another system, not a person. Only service accounts "
                      "can be given API tokens, and they cannot sign in to these pages. An "
                      "account someone has signed in with cannot become one.",
        )
        self.setup_helper()

    @staticmethod
    def initial_for(user: User) -> dict[str, Any]:
        return {"organisation": user.organisation_id, "district": user.district_id,
                "role": user.role, "active": user.is_active,
                "view_intelligence": services.has_intelligence_permission(user),
                "service_account": user.is_service_account}


class UserFilterForm(GovukForm):
    submit_label = "Apply filters"
    form_method = "get"

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label="Organisation", queryset=services.organisations_managed_by(admin),
            required=False, empty_label="All organisations",
        )
        self.fields["role"] = forms.ChoiceField(
            label="Role", choices=[("", "All roles"), *Role.choices], required=False)
        self.setup_helper()
        # Side by side, so that the list of users starts near the top of the page.
        self.helper.layout = Layout(Div(
            Div("organisation", css_class="govuk-grid-column-one-third"),
            Div("role", css_class="govuk-grid-column-one-third"),
            css_class="govuk-grid-row",
        ))
        self.helper.inputs[0].field_classes += " govuk-button--secondary"


class ApiTokenForm(GovukForm):
    submit_label = "Issue token"
    name = forms.CharField(
        label="What is the token for?", max_length=80,
        help_text="For example, the name of the system that will use it",
        error_messages={"required": "Enter what the token is for"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

