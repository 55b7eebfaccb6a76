"""Scores as words on a page: band and grade names, working rules, percentages.

The names live in the engine (``iom.scoring.engine.words``) so that the text the
engine writes and the pages agree. Load with ``{% load scores %}``.
"""

from __future__ import annotations

from django import template

from iom.scoring.engine import words

register = template.Library()


@register.filter
def band_name(code: str | None) -> str:
    """``very_high`` as "very high"; capitalise with ``|capfirst`` where it starts a line."""
    return words.band_name(code)


@register.filter
def rule_name(code: str) -> str:
    return words.rule_name(code)


@register.filter
def score_words(code: str | None) -> str:
    """A profile, crime type or other scoring code as words."""
    return words.words_for(code)
