"""The "Case work" links on a person's profile, for those the policy lets do case work."""

from __future__ import annotations

from typing import Any

from django import template

from iom.accounts.models import User
from iom.governance import policy
from iom.people.models import Nominal

register = template.Library()


@register.inclusion_tag("casework/profile_links.html", takes_context=True)
def casework_links(context: template.Context, nominal: Nominal) -> dict[str, Any]:
    # The profile has already passed the person's access check; these links only
    # add what case work the user may do. They show no records, so log nothing.
    user: User = context["request"].user
    return {"nominal": nominal, "shown": policy.is_casework_user(user),
            "documents": policy.is_statutory_case_worker(user)}
