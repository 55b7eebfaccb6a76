from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def humanise(code: object) -> str:
    """A stored code such as ``not_brought_on`` as words: "Not brought on"."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]
