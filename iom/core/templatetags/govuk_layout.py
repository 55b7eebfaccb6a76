"""Layout helpers for the page template."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


class LandmarkNode(Node):
    def __init__(self, nodelist: NodeList, label: str) -> None:
        self.nodelist = nodelist
        self.label = label

    def render(self, context: Any) -> str:
        inner = self.nodelist.render(context)
        if not inner.strip():
            return ""
        return format_html('<nav aria-label="{}" class="iom-before-content">{}</nav>',
                           self.label, mark_safe(inner))  # noqa: S308  # rendered template


@register.tag
def landmark(parser: Parser, token: Token) -> LandmarkNode:
    """``{% landmark "Back" %}...{% endlandmark %}``: what sits between the header and
    the main content (a back link, breadcrumbs) inside a navigation landmark, so no
    content lies outside a landmark (WCAG 1.3.1; axe's ``region`` rule), and nothing at
    all when it is empty."""
    bits = token.split_contents()
    if len(bits) != 2:  # the tag and its label
        raise template.TemplateSyntaxError("landmark takes one label")
    nodelist = parser.parse(("endlandmark",))
    parser.delete_first_token()
    return LandmarkNode(nodelist, bits[1].strip("\"'"))
