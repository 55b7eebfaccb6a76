"""Marks on documents, agenda items and minutes that may cite a corrected record (000 s7)."""

from __future__ import annotations

from typing import Any

from django import template

from ..corrections import citations_of

register = template.Library()


@register.filter
def corrections_citing(thing: Any, cited_in: str) -> list[Any]:
    """The corrections whose record this document or agenda item may have drawn on."""
    return citations_of(cited_in, int(thing.pk))


@register.inclusion_tag("governance/cited_mark.html")
def cited_mark(thing: Any, cited_in: str) -> dict[str, Any]:
    return {"corrections": citations_of(cited_in, int(thing.pk))}


@register.filter
def record_kind(kind: str) -> str:
    """A kind of record in words ("offending record"), not its code name."""
    from ..corrections import KIND_LABELS

    return KIND_LABELS.get(kind, kind.replace("_", " "))


@register.filter
def disposed_by(who: str) -> str:
    """Who disposed of a person, in words: a scheduled command or a named user."""
    return "the retention run on the server" if who.startswith("command ") else who
