from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # GOV.UK: say what to do, without saying which of the two was wrong.
        self.error_messages = {**self.error_messages, "invalid_login": (
            "Enter a correct username and password. Both may be case-sensitive")}
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK errors, not the browser's bubbles
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Sign in"))


    def full_clean(self) -> None:
        super().full_clean()
        # The form package marks text boxes in error but not password boxes.
        if "password" in self.errors:
            self.fields["password"].widget.attrs["class"] = "govuk-input govuk-input--error"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the 6-digit security code"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK errors, not the browser's bubbles
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Continue"))

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The security code must be 6 digits")
        return token


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Set-up code",
        help_text="The code your administrator gave you, for example ABCD-EFGH-JKLM",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the set-up code your administrator gave you"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK errors, not the browser's bubbles
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Continue"))
