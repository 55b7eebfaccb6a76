"""The monitoring rules of a partnership, as configuration (``IOM_MONITORING`` in
``config/settings.py``, read from the ``IOM_MONITORING_*`` environment variables).
docs/monitoring.md explains each default and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings

from .matching import Params


@dataclass(frozen=True)
class MonitoringRules:
    # The longest a voluntary tag stays on before it must come off (the issue's
    # 12 months), and how many days before that (or the planned end) it is flagged
    # for review.
    max_fitting_months: int = 12
    review_notice_days: int = 28
    # The youngest age a tag may be fitted at, and below which age a parent or
    # guardian must consent and be present (003 "Buddi Tags": 12 and over; youths).
    min_age: int = 12
    adult_age: int = 18
    # Matching defaults (the issue): 100 m, no padding, 10 minutes' maximum gap.
    radius_m: float = 100.0
    pad_minutes: int = 0
    max_gap_minutes: int = 10

    def params(self, *, radius_m: float | None = None, pad_minutes: int | None = None,
               max_gap_minutes: int | None = None) -> Params:
        return Params(radius_m=self.radius_m if radius_m is None else radius_m,
                      pad_s=60.0 * (self.pad_minutes if pad_minutes is None else pad_minutes),
                      max_gap_s=60.0 * (self.max_gap_minutes if max_gap_minutes is None
                                        else max_gap_minutes))


def monitoring_rules() -> MonitoringRules:
    overrides: dict[str, Any] = dict(getattr(settings, "IOM_MONITORING", {}) or {})
    return replace(MonitoringRules(), **overrides)
