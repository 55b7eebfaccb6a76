"""Messages that say what is wrong with this field in this form, in the GOV.UK style
("Enter the reason for the change", "Select the decision"), instead of Django's
"This field is required." A form states its own message where the one made from the
label would read badly."""

from __future__ import annotations

import re

from django import forms
from django.forms.utils import pretty_name

DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
QUESTION_WORDS = ("what ", "why ", "where ", "who ", "how ", "which ", "when ")
CHOOSING = (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)


def subject_of(label: object) -> str:
    """A label as the thing a message is about: "Date of referral" -> "the date of
    referral"; "What needs to be done" stays a question; "RAG status" keeps its capitals."""
    text = re.sub(r"\s*\([^)]*\)$", "", str(label or "").strip()).rstrip("?:").strip()
    lowered = lower_first(text)
    if lowered.startswith(QUESTION_WORDS) or lowered.startswith(("the ", "a ", "an ")):
        return lowered
    return f"the {lowered}"


def say_what_is_missing(form: forms.BaseForm) -> None:
    """Replace Django's generic "required" message on every field of ``form``."""
    for name, field in form.fields.items():
        if str(field.error_messages.get("required", "")) != DJANGO_REQUIRED:
            continue
        label = field.label or pretty_name(name)
        if field.widget.is_hidden:
            message = "The page was out of date: check the form and send it again"
        elif isinstance(field, forms.BooleanField):
            message = f"Confirm that {lower_first(str(label))}"
        elif isinstance(field, CHOOSING):
            message = f"Select {subject_of(label)}"
        else:
            message = f"Enter {subject_of(label)}"
        field.error_messages = {**field.error_messages, "required": message}


def lower_first(text: str) -> str:
    """"Date of referral" -> "date of referral", but "RAG status" stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
