from collections.abc import Callable, Iterable
from typing import Any

from django.apps import AppConfig
from django.db import models


class GovernanceConfig(AppConfig):
    name = "iom.governance"
    label = "governance"

    def ready(self) -> None:
        # What governance and the people app hold about a person, for subject access;
        # the apps to our right register their own (subject_access.py).
        from .models import ConsentPaperwork
        from .subject_access import hold_for_subject_access

        related = {"alias": "aliases", "address": "addresses", "flag": "flags",
                   "event": "events", "case_date": "case_dates",
                   "wanted_missing": "wanted_missing", "custody": "custody_periods",
                   "order": "orders", "protection": "protection",
                   "intelligence": "intelligence", "allocation": "allocations",
                   "consent": "consents", "involvement": "involvements",
                   "correction": "corrections"}
        for kind, name in related.items():
            hold_for_subject_access(kind, _related_rows(name))
        hold_for_subject_access("consent_paperwork", lambda n: ConsentPaperwork.objects.filter(
            consent__nominal=n))


def _related_rows(name: str) -> Callable[[Any], Iterable[models.Model]]:
    def rows(nominal: Any) -> Iterable[models.Model]:
        return getattr(nominal, name).all().order_by("pk")  # type: ignore[no-any-return]

    return rows
