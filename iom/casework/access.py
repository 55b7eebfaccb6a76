"""Who may do what in case work, on top of the one access policy.

Seeing a person's plan, actions and contacts follows ``policy.access_nominal``
exactly: a partner without consent sees none of it. Writing the plan itself
and generating documents (which disclose) are for statutory partners; any
partner who may see the person may record contacts, progress and updates.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from iom.accounts.models import CASEWORK_ROLES, Organisation, Role, User
from iom.core.errors import Forbidden
from iom.governance import policy
from iom.people.models import Nominal

from .models import Action

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.COORDINATOR})



def require_statutory(user: User, what: str) -> None:
    if not policy.is_statutory_case_worker(user):
        raise Forbidden(f"Only statutory partners can {what}.")


def is_supervisor(user: User) -> bool:
    return policy.is_casework_user(user) and user.role in SUPERVISING_ROLES


def organisation_may_see(organisation: Organisation, nominal: Nominal) -> bool:
    return policy.nominals_visible_to_organisation(organisation).filter(pk=nominal.pk).exists()


def user_may_see(user: User, nominal: Nominal) -> bool:
    return policy.nominals_visible_to(user).filter(pk=nominal.pk).exists()


def owner_organisations(nominal: Nominal) -> QuerySet[Organisation]:
    """The partnership's organisations that may see the person, so may own an action."""
    partners = Organisation.objects.filter(partnership_id=nominal.partnership_id, active=True)
    return partners.filter(pk__in=[o.pk for o in partners if organisation_may_see(o, nominal)])


def owner_users(nominal: Nominal) -> QuerySet[User]:
    """Case workers who may see the person, so may own an action: administrators,
    analysts and data-protection officers see no named people (the service refuses them)."""
    return (User.objects.filter(organisation__in=owner_organisations(nominal), is_active=True,
                                role__in=CASEWORK_ROLES)
            .select_related("organisation").order_by("organisation__name", "last_name",
                                                     "first_name"))


def actions_visible_to(user: User) -> QuerySet[Action]:
    return Action.objects.filter(nominal__in=policy.nominals_visible_to(user))


def actions_owned_by(user: User) -> QuerySet[Action]:
    """The user's own actions and their organisation's, about people they may see."""
    return actions_visible_to(user).filter(
        Q(owner_user=user) | Q(owner_organisation_id=user.organisation_id))


def may_work_action(user: User, action: Action) -> bool:
    """Owners update their actions; statutory partners may update any they can see."""
    return (action.owner_user_id == user.pk
            or action.owner_organisation_id == user.organisation_id
            or policy.is_statutory_case_worker(user))
