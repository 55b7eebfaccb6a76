"""The GOV.UK date input as a Django form field: a day, a month and a year in three
boxes, with the Design System's messages and the boxes in error highlighted.

https://design-system.service.gov.uk/components/date-input/ says which message to show:
nothing entered ("Enter the date of the decision"), a part missing ("The date of the
decision must include a month"), a date that does not exist ("The date of the decision
must be a real date"), and a date out of order with another one in the same form
("The review date must be after the decision date": see ``must_follow``).

The crispy-forms-gds template pack renders the field (``gds/widgets/date.html``) and
highlights each box whose sub-field widget carries an ``errors`` list, so ``clean``
puts the message on exactly the boxes that are wrong; the error summary
(``gds/layout/error_summary.html``) links to the first of them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError

from .form_messages import subject_of, upper_first

PARTS = ("day", "month", "year")
MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}


class GovukDateWidget(DateInputWidget):  # type: ignore[misc]  # the package has no types
    """Three text boxes with the numeric keypad on phones. Also reads one ISO value under
    the field's own name (``?as_at=2025-06-02``), so bookmarked links keep working."""

    def __init__(self, *args: Any, autocomplete: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part, widget in zip(PARTS, self.widgets, strict=True):
            widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})
            if autocomplete:
                widget.attrs["autocomplete"] = f"{autocomplete}-{part}"

    def decompress(self, value: Any) -> tuple[Any, Any, Any]:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return None, None, None
        if isinstance(value, date):
            return value.day, value.month, value.year
        return None, None, None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        parts: list[Any] = super().value_from_datadict(data, files, name)
        whole = str(data.get(name) or "").strip()
        if any(parts) or not whole:
            return parts
        try:
            return list(self.decompress(date.fromisoformat(whole)))
        except ValueError:
            pieces = re.split(r"[/.\s-]+", whole)  # 31/02/2020: day, month, year
            return pieces if len(pieces) == 3 else [whole, "", ""]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return bool(super().value_omitted_from_data(data, files, name)) and name not in data


class GovukDateField(DateInputField):  # type: ignore[misc]  # the package has no types
    """A date entered as a day, a month and a year.

    ``subject`` names the date in messages, lower case with its article, e.g. "the date
    of the decision"; by default it is made from the label ("Date of referral" gives
    "the date of referral"). Messages given in ``error_messages`` are not used: the
    Design System's own are.
    """

    widget = GovukDateWidget

    def __init__(self, *, label: str, subject: str = "", autocomplete: str = "",
                 **kwargs: Any) -> None:
        """``autocomplete``: "bday" for a date of birth, so browsers can fill it in."""
        kwargs.setdefault("widget", GovukDateWidget(autocomplete=autocomplete))
        # The Design System's own example: a fixed date, so it never reads as a suggestion.
        kwargs["help_text"] = kwargs.get("help_text") or "For example, 27 3 2007"
        super().__init__(label=label, **kwargs)
        self.subject = subject or subject_of(label)
        if "required" not in kwargs.get("error_messages", {}):
            self.error_messages |= {"required": f"Enter {self.subject}"}

    def _fail(self, message: str, parts: tuple[int, ...], code: str) -> ValidationError:
        for index, field in enumerate(self.fields):
            field.widget.errors = [message] if index in parts else []
        return ValidationError(message, code=code)

    def clean(self, value: Any) -> date | None:
        for field in self.fields:
            field.widget.errors = []
        texts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        texts = [*texts, "", "", ""][:3]
        missing = tuple(i for i, text in enumerate(texts) if not text)
        if len(missing) == 3:
            if self.required:
                raise self._fail(self.error_messages["required"], (0, 1, 2), "required")
            return None
        if missing:
            names = " and ".join(PARTS[i] for i in missing)
            raise self._fail(f"{upper_first(self.subject)} must include a {names}", missing,
                             "incomplete")
        found = self._parse(texts)
        self.validate(found)
        self.run_validators(found)
        return found

    def _parse(self, texts: list[str]) -> date:
        real = f"{upper_first(self.subject)} must be a real date"
        day, month, year = texts
        month_number = MONTHS.get(month.lower()) or (int(month) if month.isdigit() else 0)
        wrong = tuple(i for i, ok in enumerate((
            day.isdigit() and 1 <= int(day) <= 31, 1 <= month_number <= 12,
            bool(re.fullmatch(r"\d+", year)))) if not ok)
        if wrong:
            raise self._fail(real, wrong, "invalid")
        if len(year) != 4:
            raise self._fail(f"The year of {self.subject} must include 4 numbers", (2,),
                             "invalid")
        try:
            return date(int(year), month_number, int(day))
        except ValueError as error:
            raise self._fail(real, (0, 1), "invalid") from error

    def fail_on_whole(self, form: forms.BaseForm, name: str, message: str) -> None:
        """An error about the whole date (out of order, out of range): every box shows it."""
        self._fail(message, (0, 1, 2), "invalid")
        form.add_error(name, message)


def must_follow(form: forms.BaseForm, *, later: str, earlier: str, message: str = "",
                same_day: bool = False) -> None:
    """In ``form.clean``: the date in ``later`` must come after the one in ``earlier``
    (or on the same day, with ``same_day``). The message goes on ``later``."""
    first, second = form.cleaned_data.get(earlier), form.cleaned_data.get(later)
    if not (isinstance(first, date) and isinstance(second, date)):
        return
    if second > first or (same_day and second == first):
        return
    field = form.fields[later]
    if not message:
        other = form.fields[earlier]
        subject = getattr(other, "subject", subject_of(other.label))
        own = getattr(field, "subject", subject_of(field.label))
        relation = "the same as or after" if same_day else "after"
        message = f"{upper_first(own)} must be {relation} {subject}"
    form.cleaned_data.pop(later, None)
    if isinstance(field, GovukDateField):
        field.fail_on_whole(form, later, message)
    else:
        form.add_error(later, message)


class DayQueryForm(forms.Form):
    """A GET form of one GOV.UK date (no CSRF token in the URL), read from its three boxes
    or from one ISO value (``?<field>=2025-03-04``, as links and bookmarks give it).
    Subclasses declare the ``GovukDateField`` and name it in ``field_name``."""

    field_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.disable_csrf = True

    @classmethod
    def asked(cls, query: Any) -> bool:
        """Whether the query asks for a day (any of its boxes, or one ISO value)."""
        name = cls.field_name
        return any(key == name or key.startswith(f"{name}_") for key in query)
