"""The one set of filters for what a page says: codes as words, dates and times in
GOV.UK style. Load with ``{% load iom %}``.

A stored value shown on a page is a choice's label (``get_FOO_display``) or goes
through ``label``; a date through ``govuk_date`` (or ``govuk_short_date`` in a
table), a time through ``govuk_time``. The words crawl (tests/test_words_crawl.py)
fails on a snake_case token or an ISO date left on any page.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django import template
from django.utils import timezone

from iom.core import words

register = template.Library()


@register.filter
def humanise(code: object) -> str:
    """A stored code such as ``not_brought_on`` as words: "Not brought on"."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def label(value: object, choices: object = None) -> str:
    """A stored value as its choice's label; ``choices`` is a TextChoices class or a
    mapping of value to label. Unknown values are humanised rather than shown raw."""
    if value in (None, ""):
        return ""
    found = getattr(choices, "_value2label_map_", None) if choices is not None else None
    mapping = found if isinstance(found, dict) else choices
    if isinstance(mapping, dict) and value in mapping:
        return str(mapping[value])
    return humanise(value)


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _as_date(value: date | datetime | str) -> date | datetime:
    """A date, or an ISO date as JSON details keep it."""
    if isinstance(value, str):
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value


@register.filter
def govuk_date(value: date | datetime | str | None) -> str:
    """3 December 2026."""
    if not value:
        return ""
    local = _local(_as_date(value))
    return words.long_date(local.date() if isinstance(local, datetime) else local)


@register.filter
def govuk_short_date(value: date | datetime | str | None) -> str:
    """3 Dec 2026."""
    if not value:
        return ""
    local = _local(_as_date(value))
    return words.short_date(local.date() if isinstance(local, datetime) else local)


@register.filter
def govuk_time(value: time | datetime | None) -> str:
    """9am, 2:30pm, midday."""
    if value is None:
        return ""
    local = _local(value) if isinstance(value, datetime) else value
    return words.clock_time(local)  # type: ignore[arg-type]


@register.filter
def govuk_datetime(value: datetime | None) -> str:
    """3 December 2026 at 2:30pm, in UK time."""
    if value is None:
        return ""
    local = _local(value)
    assert isinstance(local, datetime)
    return words.date_and_time(local)


@register.filter
def count_of(items: object, noun: str) -> str:
    """``districts|count_of:"district"`` is "3 districts"; ``"person,people"`` names the
    plural. Takes a number or anything with a length."""
    n = items if isinstance(items, int) else len(items)  # type: ignore[arg-type]
    one, _, many = noun.partition(",")
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
