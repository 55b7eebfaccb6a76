"""The person page's link to their voluntary tag, for those who keep the tags."""

from __future__ import annotations

from typing import Any

from django import template

from iom.accounts.models import User
from iom.governance import policy
from iom.people.models import Nominal

from ..models import Fitting

register = template.Library()


@register.inclusion_tag("monitoring/profile_link.html", takes_context=True)
def tag_links(context: template.Context, nominal: Nominal) -> dict[str, Any]:
    # The profile has already passed the person's access check and logged its read.
    user: User = context["request"].user
    if not policy.can_manage_tags(user):
        return {"shown": False}
    current = Fitting.objects.filter(nominal=nominal, removed_at__isnull=True).first()
    return {"shown": True, "nominal": nominal, "fitting": current,
            "locations": policy.can_see_locations(user, nominal)}
