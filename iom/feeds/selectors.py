"""Reads for feed imports and alerts, scoped in the query to what the user may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from iom.accounts.models import User
from iom.core.errors import NotFound
from iom.governance import policy

from .models import Alert, AlertKind, ImportRun


def runs_visible_to(user: User) -> QuerySet[ImportRun]:
    """Coordinators see their own partnership's runs; everyone else none."""
    if not policy.can_import_feeds(user):
        return ImportRun.objects.none()
    assert user.organisation is not None
    return ImportRun.objects.filter(partnership_id=user.organisation.partnership_id)


def access_run(user: User, run_id: int | str) -> ImportRun:
    try:
        pk = int(run_id)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    run = runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise NotFound
    return run


def alerts_for(user: User) -> QuerySet[Alert]:
    """The user's own alerts about people they may still see."""
    return Alert.objects.filter(
        recipient_id=user.pk, nominal__in=policy.nominals_visible_to(user)
    ).select_related("nominal")


def access_alert(user: User, alert_id: int | str) -> Alert:
    try:
        pk = int(alert_id)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    alert = alerts_for(user).filter(pk=pk).first()
    if alert is None:
        raise NotFound
    return alert


def unread_count(user: User) -> int:
    return alerts_for(user).filter(read_at__isnull=True).count()


def alerts_by_kind(run: ImportRun) -> list[dict[str, object]]:
    labels = dict(AlertKind.choices)
    return [{"kind": labels.get(row["kind"], row["kind"]), "count": row["count"]}
            for row in run.alerts.values("kind").annotate(count=Count("id")).order_by("kind")]
