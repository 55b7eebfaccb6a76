"""The header's Alerts link with its unread count, and Feed imports for coordinators."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from iom.governance import policy
from iom.governance.notices import unacknowledged_count

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("feeds/nav.html", takes_context=True)
def feeds_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not policy.is_casework_user(user):
        return {"items": []}
    items = [{"label": "Alerts", "url": reverse("feeds:inbox"), "count": unread_count(user)},
             {"label": "Notices", "url": reverse("governance:notices"),
              "count": unacknowledged_count(user)}]
    if policy.can_import_feeds(user):
        items.append({"label": "Feed imports", "url": reverse("feeds:runs"), "count": None})
    for item in items:
        item["active"] = request.path.startswith(item["url"])
    return {"items": items}
