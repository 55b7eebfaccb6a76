"""Reads for feed imports and alerts, scoped in the query to what the user may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from iom.accounts.models import User
from iom.core.lookup import one_visible
from iom.governance import policy

from .models import Alert, AlertKind, ImportRun


def runs_visible_to(user: User) -> QuerySet[ImportRun]:
    """Coordinators see their own partnership's runs; everyone else none."""
    if not policy.can_import_feeds(user):
        return ImportRun.objects.none()
    assert user.organisation is not None
    return ImportRun.objects.filter(partnership_id=user.organisation.partnership_id)


def access_run(user: User, run_id: int | str) -> ImportRun:
    return one_visible(runs_visible_to(user), run_id)


def alerts_for(user: User) -> QuerySet[Alert]:
    """The user's own alerts about people they may still see."""
    return Alert.objects.filter(
        recipient_id=user.pk, nominal__in=policy.nominals_visible_to(user)
    ).select_related("nominal")


def access_alert(user: User, alert_id: int | str) -> Alert:
    return one_visible(alerts_for(user), alert_id)


def unread_count(user: User) -> int:
    return alerts_for(user).filter(read_at__isnull=True).count()


def alerts_by_kind(run: ImportRun) -> list[dict[str, object]]:
    labels = dict(AlertKind.choices)
    return [{"kind": labels.get(row["kind"], row["kind"]), "count": row["count"]}
            for row in run.alerts.values("kind").annotate(count=Count("id")).order_by("kind")]
