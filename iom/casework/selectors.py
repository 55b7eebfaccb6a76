"""Reads for case-work pages and the API, scoped in the query by the access policy."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import chain

from django.db.models import Q, QuerySet

from iom.accounts.models import CASEWORK_ROLES, District, Organisation, User
from iom.governance import policy
from iom.people.models import Nominal

from . import compliance
from .models import Action, ActionStatus, GeneratedDocument, InterventionPlan
from .rules import compliance_rules, rule_title

RULE_KEYS = ("engagement", "plan", "deregistration", "threat_review", "tag_audit")

ACTION_RELATED = ("nominal", "owner_user", "owner_organisation")


# Actions and who may own them (the rule: ``policy`` rule 11) ---------------------------


def actions_visible_to(user: User) -> QuerySet[Action]:
    """The actions about the people the user may see."""
    return Action.objects.filter(nominal__in=policy.nominals_visible_to(user))


def actions_owned_by(user: User) -> QuerySet[Action]:
    """The user's own actions and their organisation's, about people they may see."""
    return actions_visible_to(user).filter(
        Q(owner_user=user) | Q(owner_organisation_id=user.organisation_id))


def owner_organisations(nominal: Nominal) -> QuerySet[Organisation]:
    """The partnership's organisations that may see the person, so may own an action."""
    partners = Organisation.objects.filter(partnership_id=nominal.partnership_id, active=True)
    return partners.filter(
        pk__in=[o.pk for o in partners if policy.organisation_sees_nominal(o, nominal)])


def owner_users(nominal: Nominal) -> QuerySet[User]:
    """Case workers who may see the person, so may own an action: administrators,
    analysts and data-protection officers see no named people (the service refuses them)."""
    return (User.objects.filter(organisation__in=owner_organisations(nominal), is_active=True,
                                role__in=CASEWORK_ROLES)
            .select_related("organisation").order_by("organisation__name", "last_name",
                                                     "first_name"))


def documents_readable_by(user: User, nominal: Nominal) -> QuerySet[GeneratedDocument]:
    """The person's kept documents this reader may open: a document worked out from
    intelligence or public protection records only for a reader whose sight covers
    them, whoever produced it (docs/adr/0009)."""
    sight = policy.sight_of(user)
    documents = GeneratedDocument.objects.filter(nominal=nominal)
    if not sight.intelligence:
        documents = documents.filter(reads_intelligence=False)
    if not sight.public_protection:
        documents = documents.filter(reads_public_protection=False)
    return documents


def open_plan(nominal: Nominal) -> InterventionPlan | None:
    return (InterventionPlan.objects.filter(nominal=nominal, closed_on__isnull=True)
            .prefetch_related("needs__referrals", "needs__progress", "outcomes").first())


def closed_plans(nominal: Nominal) -> QuerySet[InterventionPlan]:
    """Earlier plans, newest first: the history of each spell on the cohort."""
    return (InterventionPlan.objects.filter(nominal=nominal, closed_on__isnull=False)
            .prefetch_related("needs").select_related("closed_by"))


def my_actions(user: User) -> QuerySet[Action]:
    return actions_owned_by(user).filter(status=ActionStatus.OPEN).select_related(
        *ACTION_RELATED)


def overdue_actions(user: User, as_at: date) -> QuerySet[Action]:
    """Open actions past their due date: a supervisor's team's, or the user's own."""
    supervisor = policy.is_casework_supervisor(user)
    base = actions_visible_to(user) if supervisor else actions_owned_by(user)
    if supervisor and user.district_id:
        base = base.filter(nominal__district_id=user.district_id)
    return base.filter(status=ActionStatus.OPEN, due_on__lt=as_at).select_related(
        *ACTION_RELATED)


def people_for_compliance(user: User) -> QuerySet[Nominal]:
    """Supervisors see their team's people (their district's); others their caseload."""
    if policy.is_casework_supervisor(user):
        people = policy.nominals_visible_to(user)
        return people.filter(district_id=user.district_id) if user.district_id else people
    return policy.caseload_of(user)


def districts_for_compliance(user: User) -> QuerySet[District]:
    if not policy.is_statutory_case_worker(user):
        return District.objects.none()
    assert user.organisation is not None
    districts = District.objects.filter(partnership_id=user.organisation.partnership_id)
    return districts.filter(pk=user.district_id) if user.district_id else districts


def compliance_items(user: User, as_at: date, *, rule: str = "", status: str = "",
                     district: str = "") -> list[compliance.Item]:
    rules = compliance_rules()
    people = people_for_compliance(user)
    items = chain(compliance.engagement_items(people, as_at, rules),
                  compliance.plan_items(people, as_at, rules),
                  compliance.deregistration_items(people, as_at, rules),
                  compliance.threat_items(people, as_at, rules),
                  compliance.tag_audit_items(districts_for_compliance(user), as_at, rules))
    found = [i for i in items if (not rule or i.rule == rule) and (
        not status or i.status == status) and (
        not district or i.district.lower() == district.lower())]
    return sorted(found, key=lambda i: (-i.late_by, i.due_on))


@dataclass(frozen=True)
class Figure:
    """How the items of one compliance rule stand: the dashboard's summary row."""

    rule: str
    title: str
    items: int
    late: int
    done_late: int
    due: int
    done_on_time: int
    most_working_days_late: int


def compliance_figures(items: list[compliance.Item]) -> list[Figure]:
    rules = compliance_rules()
    return [_figure(key, rule_title(key, rules), [i for i in items if i.rule == key])
            for key in RULE_KEYS]


def _figure(rule: str, title: str, items: list[compliance.Item]) -> Figure:
    counts = Counter(i.status for i in items)
    return Figure(rule=rule, title=title, items=len(items), late=counts["late"],
                  done_late=counts["met_late"], due=counts["due"], done_on_time=counts["met"],
                  most_working_days_late=max((i.late_by for i in items), default=0))
