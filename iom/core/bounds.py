"""What the system accepts from anyone: the one place for bounds on input.

Web forms (``check_form``), API input schemas (``iom/api/schemas.py``), the
person record validators (``iom/people/validation.py``) and the feed's row
checks (``iom/feeds/checking.py``) all ask these functions, so a date, a text
or a number is held to the same rule whichever way it arrives. The rules and
their settings are described in docs/api.md, "Bounds":

- every date lies on or after IOM_EARLIEST_DATE (default 1900-01-01);
- a date of birth or a record's date (an arrest, a contact, a score's "as at")
  lies on or before the day it is recorded on: today, or a feed file's day;
- a scheduled date (a court hearing, a bail date, an expected release, a due
  date) may lie ahead, up to IOM_SCHEDULED_YEARS_AHEAD years;
- text holds no NUL character (PostgreSQL cannot store one) and at most
  IOM_TEXT_MAX_CHARS characters, or its field's own smaller limit;
- a whole number fits the database's 64-bit integers;
- an uploaded file is at most IOM_UPLOAD_MAX_BYTES.

Each function returns the problem as a sentence, or None: callers attach it to
their own field name, row and line.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone

DateKind = Literal["birth", "record", "scheduled"]
# SQLite and PostgreSQL both store integers in 64 bits: a larger one overflows.
LARGEST_INTEGER = 2**63 - 1
SMALLEST_INTEGER = -(2**63)
# The longest sentence length held in days (a determinate sentence of 100 years).
SENTENCE_DAYS_MOST = 36_525


def earliest_date() -> date:
    found: date = settings.IOM_EARLIEST_DATE
    return found


def latest_date(kind: DateKind, day: date | None = None) -> date:
    """The last date a value of this kind may have, recorded on ``day`` (today)."""
    day = day or timezone.localdate()
    if kind != "scheduled":
        return day
    years = int(settings.IOM_SCHEDULED_YEARS_AHEAD)
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def date_problem(value: date, kind: DateKind = "record", day: date | None = None) -> str | None:
    first, last = earliest_date(), latest_date(kind, day)
    if value < first:
        return f"Must be on or after {first:%-d %B %Y}."
    if value > last:
        if kind == "scheduled":
            return f"Must be on or before {last:%-d %B %Y}."
        when = "today" if day is None else f"the file's day, {day:%-d %B %Y}"
        return f"Cannot be after {when}."
    return None


def text_limit(max_length: int | None = None) -> int:
    cap = int(settings.IOM_TEXT_MAX_CHARS)
    return min(cap, max_length) if max_length else cap


def text_problem(value: str, max_length: int | None = None) -> str | None:
    if "\x00" in value:
        return "Remove the null character (NUL) from the text."
    limit = text_limit(max_length)
    if len(value) > limit:
        return f"Must be {limit:,} characters or fewer (this is {len(value):,})."
    return None


def integer_problem(value: int) -> str | None:
    if not SMALLEST_INTEGER <= value <= LARGEST_INTEGER:
        return "Is too large a number."
    return None


def time_problem(value: time) -> str | None:
    """Times of day are wall-clock times in the UK, so they carry no offset."""
    if value.tzinfo is not None:
        return "Give the time in the UK without an offset, for example 09:30."
    return None


def upload_problem(size: int | None) -> str | None:
    cap = int(settings.IOM_UPLOAD_MAX_BYTES)
    if size is not None and size > cap:
        return f"The file must be {cap:,} bytes or smaller (it is {size:,})."
    return None


def value_problem(value: Any, *, name: str = "", max_length: int | None = None) -> str | None:
    """The problem with one value of whatever type, a date judged by ``date_kind``."""
    if isinstance(value, str):
        return text_problem(value, max_length)
    if isinstance(value, int) and not isinstance(value, bool):
        return integer_problem(value)
    if isinstance(value, time):
        return time_problem(value)
    if isinstance(value, date):
        return date_problem(_day_of(value), date_kind(name))
    return None


def _day_of(value: date) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def date_kind(name: str) -> DateKind:
    """A field judged by its name alone: a date of birth as a birth, any other date
    only by the wide bounds. Whether a record's own date may lie ahead is for the
    code that knows the record (people/validation.py, feeds/checking.py)."""
    return "birth" if "birth" in name.lower() else "scheduled"


def check_form(form: Any) -> None:
    """Add each cleaned value's problem to its field of a Django form (after ``clean``)."""
    for name, value in list(getattr(form, "cleaned_data", {}).items()):
        field = form.fields.get(name)
        problem = value_problem(value, name=name,
                                max_length=getattr(field, "max_length", None))
        if problem and name not in form.errors:
            form.add_error(name, _about_field(problem, field, name))


def _about_field(problem: str, field: Any, name: str) -> str:
    """"Must be on or after ..." said of the field: "The as-at date must be on or after
    ...", as GOV.UK messages name the thing that is wrong."""
    from django.forms.utils import pretty_name

    from .form_messages import lower_first, subject_of, upper_first

    if not problem.startswith(("Must ", "Cannot ", "Is ")):
        return problem
    label = getattr(field, "label", None) or pretty_name(name)
    return f"{upper_first(subject_of(label))} {lower_first(problem)}"
