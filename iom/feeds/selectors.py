"""Reads for feed imports and alerts, scoped in the query to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

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
    """The header badge: the same alerts the inbox counts as unread."""
    return alerts_for(user).filter(read_at__isnull=True).count()


def inbox_alerts(user: User, *, everything: bool) -> QuerySet[Alert]:
    """The inbox's alerts: those not yet acknowledged, or ``everything``."""
    alerts = alerts_for(user)
    return alerts if everything else alerts.filter(acknowledged_at__isnull=True)


def inbox_people(alerts: QuerySet[Alert]) -> QuerySet[Any]:
    """One row per person with alerts, the latest raised first: the inbox's pages."""
    return (alerts.order_by().values("nominal_id")
            .annotate(latest=Max("created_at"), count=Count("id"),
                      unread=Count("id", filter=Q(read_at__isnull=True)))
            .order_by("-latest", "nominal_id"))


def inbox_counts(alerts: QuerySet[Alert]) -> dict[str, int]:
    """The inbox's totals over every page: alerts, unread ones, and people."""
    return alerts.order_by().aggregate(
        alerts=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)),
        people=Count("nominal_id", distinct=True))


def alerts_by_kind(run: ImportRun) -> list[dict[str, object]]:
    labels = dict(AlertKind.choices)
    return [{"kind": labels.get(row["kind"], row["kind"]), "count": row["count"]}
            for row in run.alerts.values("kind").annotate(count=Count("id")).order_by("kind")]
