"""The GOV.UK date input: the Design System's message for each way a date can be wrong,
the boxes in error highlighted, and the error summary linking to the first of them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.template import Context, Template
from django.utils import timezone

from iom.core.dates import GovukDateField, must_follow

PAGE = Template("{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}"
                "{% crispy form %}")


class DecisionDates(forms.Form):
    decided_on = GovukDateField(label="Date of the decision")
    review_on = GovukDateField(label="Review date", required=False,
                               subject="the review date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        must_follow(self, later="review_on", earlier="decided_on",
                    message="The review date must be after the decision date")
        return cleaned


def _sent(day: str = "", month: str = "", year: str = "", **more: str) -> DecisionDates:
    form = DecisionDates({"decided_on_0": day, "decided_on_1": month, "decided_on_2": year,
                          **more})
    form.is_valid()
    return form


def _highlighted(form: forms.Form) -> list[str]:
    html = PAGE.render(Context({"form": form}))
    return [part for i, part in enumerate(("day", "month", "year"))
            if f'govuk-input--error" id="id_decided_on_{i}"' in html.replace(
                ' inputmode="numeric" spellcheck="false"', "")
            or _has_error_class(html, f"id_decided_on_{i}")]


def _has_error_class(html: str, box: str) -> bool:
    start = html.rfind("<input", 0, html.index(f'id="{box}"'))
    tag = html[start:html.index(">", start)]
    return "govuk-input--error" in tag


@pytest.mark.parametrize(("parts", "message", "boxes"), [
    (("", "", ""), "Enter the date of the decision", ["day", "month", "year"]),
    (("3", "", "2026"), "The date of the decision must include a month", ["month"]),
    (("", "", "2026"), "The date of the decision must include a day and month",
     ["day", "month"]),
    (("31", "2", "2026"), "The date of the decision must be a real date", ["day", "month"]),
    (("3", "13", "2026"), "The date of the decision must be a real date", ["month"]),
    (("x", "12", "2026"), "The date of the decision must be a real date", ["day"]),
    (("3", "12", "26"), "The year of the date of the decision must include 4 numbers",
     ["year"]),
])
def test_each_wrong_date_has_its_message_and_boxes(parts: tuple[str, str, str], message: str,
                                                   boxes: list[str]) -> None:
    form = _sent(*parts)
    assert form.errors["decided_on"] == [message]
    assert _highlighted(form) == boxes
    html = PAGE.render(Context({"form": form}))
    assert f'<a href="#id_decided_on_{("day", "month", "year").index(boxes[0])}">' \
           f"{message}</a>" in html
    assert html.count(f">{message}</a>") == 1  # one line in the summary, not one per box


def test_a_real_date_is_read_with_the_month_as_a_number_or_a_name() -> None:
    assert _sent("3", "12", "2026").cleaned_data["decided_on"] == date(2026, 12, 3)
    assert _sent(" 3 ", "Dec", "2026").cleaned_data["decided_on"] == date(2026, 12, 3)
    assert _sent("29", "February", "2028").cleaned_data["decided_on"] == date(2028, 2, 29)


def test_one_iso_value_under_the_fields_name_is_read_too() -> None:
    form = DecisionDates({"decided_on": "2026-12-03"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["decided_on"] == date(2026, 12, 3)


def test_a_date_out_of_order_is_said_on_the_later_one_with_every_box_marked() -> None:
    form = _sent("3", "12", "2026", review_on_0="2", review_on_1="12", review_on_2="2026")
    assert form.errors == {"review_on": ["The review date must be after the decision date"]}
    html = PAGE.render(Context({"form": form}))
    assert all(_has_error_class(html, f"id_review_on_{i}") for i in range(3))
    assert not _has_error_class(html, "id_decided_on_0")


def test_an_optional_date_may_be_left_blank_but_not_half_filled() -> None:
    assert _sent("3", "12", "2026").is_valid()
    half = _sent("3", "12", "2026", review_on_2="2027")
    assert half.errors == {"review_on": ["The review date must include a day and month"]}


def test_the_boxes_are_labelled_and_open_the_numeric_keypad() -> None:
    html = PAGE.render(Context({"form": DecisionDates()}))
    assert html.count('inputmode="numeric"') == 6
    assert 'type="date"' not in html
    for part in ("Day", "Month", "Year"):
        assert f'for="id_decided_on_{["Day", "Month", "Year"].index(part)}">{part}</label>' \
               in html
    assert '<legend class="govuk-fieldset__legend' in html


def test_the_date_carries_the_design_systems_example_as_its_hint() -> None:
    html = PAGE.render(Context({"form": DecisionDates()}))
    assert 'id="id_decided_on_hint"' in html and "For example, 27 3 2007" in html


def test_a_services_refusal_of_a_date_names_which_date() -> None:
    from iom.cohorts.lifecycle.forms import RagForm
    from iom.core.errors import DomainError

    ahead = str(timezone.localdate().year + 1)  # in the future, within the bounds ahead
    form = RagForm({"version": "1", "to": "green", "on_0": "1", "on_1": "1", "on_2": ahead})
    assert form.is_valid(), form.errors
    form.add_domain_error(DomainError.on_field("on", "The date cannot be in the future."))
    assert form.errors["on"] == ["The date of the change cannot be in the future"]
    html = PAGE.render(Context({"form": form}))
    assert all(_has_error_class(html, f"id_on_{i}") for i in range(3))
    assert '<a href="#id_on_0">The date of the change cannot be in the future</a>' in html
