"""The dated rules of a scheme: each a default from the seeds that a scheme policy may
change (``policy.schemes.scheme_terms``), and the dates they give: the deselection
notice and exit (001 s7), removal for a long custody and the contact before release
(001 s7, 003), the youth ages (004 1.28). The one home of each of these rules; the
lifecycle's services, the dashboard and the agendas ask here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class LifecycleRules:
    """The dated rules, each a default from the seeds that a scheme policy may change."""

    notice_months: int = 3  # told this long before exit (001 s7)
    exit_after_months: int = 6  # without further offending (000 Exit Level, 001 s7)
    custody_removal_months: int = 12  # removal when more remains to serve (001 s7)
    release_contact_months: int = 3  # prison hub contacts the district (003)
    tasking_quorum: int = 3  # agencies present for a tasking decision (000, 001 s8)
    review_every_months: int = 1  # monthly panel (000, 001 s8)
    deciding_agencies: tuple[str, ...] = ("police", "probation")  # must agree (001 s8)
    youth_strand: bool = True  # Deter Young Offender (004 1.28)
    youth_ages: tuple[int, int] = (10, 17)
    partner_referral_min_needs: int = 0  # Derbyshire 2015: 2 of the 4 named needs
    prevent_and_deter: bool = False  # the scheme runs a prevent and deter strand (004 1.8)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), kept within shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def notice_from(clock_start: date, rules: LifecycleRules) -> date:
    """The first day the person may be told of deselection: 3 months before exit."""
    return add_months(clock_start, rules.exit_after_months - rules.notice_months)


def exit_from(clock_start: date, notified_on: date | None, rules: LifecycleRules) -> date:
    """The first day of exit: 6 months without offending and 3 months after being told."""
    earliest = add_months(clock_start, rules.exit_after_months)
    if notified_on is None:
        return earliest
    return max(earliest, add_months(notified_on, rules.notice_months))


def release_counting_remand(expected_release: date, remand_days_not_counted: int) -> date:
    """Time already spent on remand comes off the time left to serve (001 s7)."""
    return expected_release - timedelta(days=max(0, remand_days_not_counted))


def custody_removal_due(release: date | None, on: date, rules: LifecycleRules) -> bool:
    """More than 12 months left to serve on ``on`` (an unknown release: not yet)."""
    return release is not None and release > add_months(on, rules.custody_removal_months)


def release_contact_from(release: date, rules: LifecycleRules) -> date:
    return add_months(release, -rules.release_contact_months)


def is_youth(age: int, rules: LifecycleRules) -> bool:
    low, high = rules.youth_ages
    return low <= age <= high


def youth_ages_said(rules: LifecycleRules) -> str:
    """The youth ages of the scheme as messages say them: "aged 10 to 17" by default,
    whatever ``youth_ages`` a policy sets."""
    low, high = rules.youth_ages
    return f"aged {low} to {high}"


@dataclass(frozen=True)
class SchemeTerms:
    """What the lifecycle needs from a scheme policy."""

    name: str
    version: int
    title: str
    cohort_types: tuple[tuple[str, str], ...]
    rules: LifecycleRules
    floor: tuple[str, float] | None = None  # (cohort type, least share of the cohort)
    partner_needs: tuple[str, ...] = ()  # the needs a partner referral counts (000 App A)

    def cohort_type_label(self, key: str) -> str:
        return dict(self.cohort_types).get(key, key.replace("_", " ").capitalize())


YOUTH_COHORT = ("deter_young_offender", "Deter Young Offender")
