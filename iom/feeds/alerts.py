"""Alerts raised by an import, for the people on a cohort (002 'Intelligence', docs/sources.md).

Each alert has a key made of its kind, the source record and the value that
matters (a release or court date), so a re-import never raises it twice and a
changed date raises it again. Runs inside the import's transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

import polars as pl
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from iom.accounts.models import Role, User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access_for_many
from iom.cohorts.lifecycle import MANAGED_STATES
from iom.cohorts.lifecycle.services.rag import apply_custody
from iom.cohorts.models import CohortMembership
from iom.people.models import CustodyPeriod, Nominal
from iom.scoring.services import score_and_store

from .models import Alert, AlertKind, ImportRun

RELEASE_WINDOW = timedelta(days=91)
COURT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Found:
    nominal_id: int
    kind: str
    key: str
    summary: str
    # For custody and release alerts: the day the custody record starts, to find the
    # spell it belongs to (``per_spell``), and the release date a release alert is about.
    starts: date | None = None
    release: date | None = None


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "no date given"


def _previous_release(content: str | None) -> str | None:
    if not content:
        return None
    value = json.loads(content).get("expected_release_date")
    return str(value) if value else None


def alerts_in(written: pl.DataFrame, on: date) -> list[Found]:
    """Every alert the written rows call for, whoever is on a cohort."""
    found: list[Found] = []
    for row in written.iter_rows(named=True):
        found += _for_row(row, on)
    return found


def _for_row(row: dict[str, object], on: date) -> list[Found]:
    kind, new, ident = str(row["record_type"]), row["status"] == "new", row["source_record_id"]
    person, day = int(row["nominal_id"]), row["record_date"]  # type: ignore[call-overload]
    out: list[Found] = []
    if kind in ("wanted", "missing") and new and row["end_date"] is None:
        out.append(Found(person, AlertKind.WANTED, f"wanted:{ident}",
                         f"Recorded as {kind} from {_day(day)}: review for RED."))  # type: ignore[arg-type]
    if kind in ("arrest", "charge") and new:
        out.append(Found(person, AlertKind.ARREST, f"arrest:{ident}",
                         f"New {kind} on {_day(day)}: scores recalculated."))  # type: ignore[arg-type]
    if kind in ("breach", "recall") and new:
        out.append(Found(person, AlertKind.BREACH, f"breach:{ident}",
                         f"{kind.title()} on {_day(day)}."))  # type: ignore[arg-type]
    if kind in ("court_date", "bail_date") and isinstance(day, date) and (
            on <= day <= on + COURT_WINDOW):
        what = "Court date" if kind == "court_date" else "Bail to return"
        out.append(Found(person, AlertKind.COURT, f"court:{ident}:{day}",
                         f"{what} on {_day(day)}."))
    if kind == "custody":
        out += _custody(row, person, on)
    return out


def _custody(row: dict[str, object], person: int, on: date) -> list[Found]:
    ident, release = row["source_record_id"], row["expected_release_date"]
    out: list[Found] = []
    if row["end_date"] is not None:
        return out
    starts = row["record_date"] if isinstance(row["record_date"], date) else None
    if row["status"] == "new":
        out.append(Found(person, AlertKind.CUSTODY, f"custody:{ident}",
                         f"Into custody from {_day(starts)}: BLUE.", starts))
    if isinstance(release, date):
        moved = row["status"] == "changed" and _previous_release(
            row.get("previous_content")) != str(release)  # type: ignore[arg-type]
        if moved or on <= release <= on + RELEASE_WINDOW:
            why = "changed to" if moved else "due on"
            out.append(Found(person, AlertKind.RELEASE, f"release:{ident}:{release}",
                             f"Release date {why} {_day(release)}.", starts, release))
    return out


def per_spell(found: list[Found]) -> list[Found]:
    """Key custody and release alerts by the person's spell in custody, not the record.

    A feed may carry one stay in custody as several records (a remand, then its
    sentence; a record sent again under a new id): they are one spell, which starts
    at the earliest start of the custody periods that run into each other, so each
    recipient is told of it once.
    """
    spells = _spells({f.nominal_id for f in found if f.starts is not None})
    out: list[Found] = []
    for f in found:
        if f.starts is None:
            out.append(f)
            continue
        start = _spell_start(spells.get(f.nominal_id, []), f.starts)
        if f.kind == AlertKind.CUSTODY:
            out.append(replace(f, key=f"custody:{f.nominal_id}:{start}",
                               summary=f"Into custody from {_day(start)}: BLUE."))
        else:
            out.append(replace(f, key=f"release:{f.nominal_id}:{start}:{f.release}"))
    return out


def _spells(people: set[int]) -> dict[int, list[tuple[date, date | None]]]:
    """Each person's custody periods as (start, release), earliest first."""
    found: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for person, start, released in CustodyPeriod.objects.filter(
            nominal_id__in=sorted(people)).order_by("start_date", "id").values_list(
                "nominal_id", "start_date", "actual_release_date"):
        found[person].append((start, released))
    return found


def _spell_start(periods: list[tuple[date, date | None]], day: date) -> date:
    """The start of the spell that takes in ``day``: a period that begins by the day
    after the one before ends (or while it is still open) continues the same spell."""
    spells: list[list[date]] = []
    for begins, released in periods:
        ends = released or date.max
        if spells and begins - timedelta(days=1) <= spells[-1][1]:
            spells[-1][1] = max(spells[-1][1], ends)
        else:
            spells.append([begins, ends])
    return next((start for start, ends in spells if start <= day <= ends), day)


def raise_alerts(*, written: pl.DataFrame, run: ImportRun, acting_user: User | None,
                 through: str) -> int:
    """Alert each case's lead professional and the partnership's coordinators.

    1. Keep only people of the run's partnership on a cohort (managed states).
    2. Act on them: BLUE for custody, new scores after an arrest or charge.
    3. Store one alert per recipient and key not already stored.
    4. Log the alerts in the access log, and e-mail recipients once committed.
    """
    cases = _cases(set(written["nominal_id"].unique().to_list()), run.partnership_id)
    found = per_spell(alerts_in(written.filter(pl.col("nominal_id").is_in(list(cases))),
                                run.feed_date))
    _act(found, cases, run, acting_user, through)
    alerts = _new_alerts(found, cases, run)
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    if alerts:
        record_access_for_many(user=acting_user, action=Action.CREATE, through=through,
                               nominal_ids=sorted({a.nominal_id for a in alerts}),
                               records=[RecordRef("import_run", run.pk)],
                               reason="Alerts raised by a feed import",
                               detail={"alerts": len(alerts)})
        transaction.on_commit(lambda: _email({a.recipient_id for a in alerts}))
    return len(alerts)


def _cases(people: set[int], partnership_id: int) -> dict[int, CohortMembership]:
    """The cases of these people; only the run's partnership's, whoever the rows name."""
    ids = sorted(people)
    cases: dict[int, CohortMembership] = {}
    for start in range(0, len(ids), 5000):
        for case in CohortMembership.objects.filter(
                nominal_id__in=ids[start:start + 5000], state__in=MANAGED_STATES,
                nominal__partnership_id=partnership_id,
        ).select_related("nominal"):
            cases[case.nominal_id] = case
    return cases


def _act(found: list[Found], cases: dict[int, CohortMembership], run: ImportRun,
         acting_user: User | None, through: str) -> None:
    for person in sorted({f.nominal_id for f in found if f.kind == AlertKind.CUSTODY}):
        apply_custody(membership=cases[person], on=run.feed_date, acting_user=acting_user,
                      through=through, access_reason="Custody reported by a feed import")
    for person in sorted({f.nominal_id for f in found if f.kind == AlertKind.ARREST}):
        nominal: Nominal = cases[person].nominal
        score_and_store(nominal=nominal, as_at=run.feed_date, acting_user=acting_user,
                        through=through, reason="New arrest or charge from a feed import")


def _coordinators(partnership_ids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for user_id, partnership_id in User.objects.filter(
            role=Role.COORDINATOR, is_active=True, organisation__active=True,
            organisation__partnership_id__in=partnership_ids
    ).values_list("pk", "organisation__partnership_id"):
        found[partnership_id].append(user_id)
    return found


def _new_alerts(found: list[Found], cases: dict[int, CohortMembership],
                run: ImportRun) -> list[Alert]:
    coordinators = _coordinators({c.nominal.partnership_id for c in cases.values()})
    wanted: dict[tuple[int, str], Found] = {}
    for f in found:
        case = cases[f.nominal_id]
        people = set(coordinators.get(case.nominal.partnership_id, []))
        if case.lead_professional_id:
            people.add(case.lead_professional_id)
        for user_id in people:
            wanted.setdefault((user_id, f.key), f)
    stored = set(Alert.objects.filter(key__in={k for _, k in wanted}).values_list(
        "recipient_id", "key"))
    return [Alert(recipient_id=user_id, nominal_id=f.nominal_id, kind=f.kind, key=key,
                  summary=f.summary, run=run)
            for (user_id, key), f in wanted.items() if (user_id, key) not in stored]


def _email(recipients: set[int]) -> None:
    """Tell each recipient there is something to read, without any personal detail."""
    if not settings.IOM_ALERT_EMAILS:
        return
    for email in User.objects.filter(pk__in=recipients).exclude(email="").values_list(
            "email", flat=True):
        send_mail("New alerts in Integrated Offender Management",
                  "A feed import has raised new alerts for people on your cohort. "
                  "Sign in and open Alerts to read them.",
                  settings.DEFAULT_FROM_EMAIL, [email])
