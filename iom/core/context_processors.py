from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from iom.governance import policy


def service(request: HttpRequest) -> dict[str, Any]:
    return {"service_name": "Integrated Offender Management", "nav_items": _nav(request)}


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str, str]] = [("Home", reverse("home"))]
    if policy.is_casework_user(user):
        items += [("Find a person", reverse("people:search")),
                  ("Cohort", reverse("cohorts:dashboard")),
                  ("OGRS 3", reverse("scoring:ogrs3")),
                  ("Meetings", reverse("meetings:list")),
                  ("Actions", reverse("casework:my-actions")),
                  ("Compliance", reverse("casework:compliance"))]
    elif policy.can_read_figures(user):
        items += [("Cohort figures", reverse("cohorts:figures")),
                  ("OGRS 3", reverse("scoring:ogrs3"))]
    if policy.can_view_impact(user):
        items.append(("Measuring impact", reverse("reporting:impact")))
    if policy.can_view_board_pack(user):
        items.append(("Board pack", reverse("reporting:board-pack")))
    if policy.can_manage_tags(user):
        items.append(("Tags", reverse("monitoring:home")))
    if policy.can_read_access_log(user):
        items.append(("Who has seen this person", reverse("governance:audit-search")))
        items.append(("Information governance", reverse("governance:index")))
    elif policy.can_review_retention(user):
        items.append(("Retention review", reverse("governance:retention")))
    if policy.can_administer(user):
        items.append(("Administration", reverse("admin_area:index")))
    path = request.path
    return [
        {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
    ]
