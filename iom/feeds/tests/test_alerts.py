"""Alerts after an import: who gets them, what they say, de-duplication, acknowledgement."""

from __future__ import annotations

import pytest
from django.core import mail

from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import Rag
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.factories import case_on_cohort
from iom.core.errors import DomainError
from iom.feeds.models import Alert, AlertKind
from iom.feeds.services import acknowledge_alert, import_file, start_run
from iom.scoring.models import StoredScore

from .conftest import row

pytestmark = pytest.mark.django_db

DAY = [
    row("wanted", "W1", "2025-06-01", description="Failed to appear"),
    row("custody", "K1", "2025-06-01", custody_type="remand",
        expected_release_date="2025-07-15", establishment="HMP Northshire"),
    row("arrest", "A1", "2025-06-01", ho_code="28A"),
    row("court_date", "C1", "2025-06-06", court="Northshire Crown Court"),
    row("court_date", "C2", "2025-09-01", court="Northshire Crown Court"),
    row("breach", "B1", "2025-06-01"),
]


def _run(world, path):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    return import_file(run=run, path=path, acting_user=None, through="test")


def test_people_on_a_cohort_raise_each_kind_of_alert_for_lead_and_coordinator(
        world, coordinator, feed_file, settings, django_capture_on_commit_callbacks):
    settings.IOM_ALERT_EMAILS = True
    case_on_cohort(world.person, world.person.date_of_birth.replace(year=2025),
              lead=world.users["police"])
    with django_capture_on_commit_callbacks(execute=True):
        run = _run(world, feed_file(DAY))
    kinds = sorted(Alert.objects.filter(recipient=world.users["police"])
                   .values_list("kind", flat=True))
    assert kinds == sorted([AlertKind.WANTED, AlertKind.CUSTODY, AlertKind.RELEASE,
                            AlertKind.ARREST, AlertKind.COURT, AlertKind.BREACH])
    assert Alert.objects.filter(recipient=coordinator).count() == 6
    assert run.alerts_raised == 12
    assert CohortMembership.objects.get(nominal=world.person).rag == Rag.BLUE
    assert StoredScore.objects.filter(nominal=world.person).exists()
    assert "review for RED" in Alert.objects.get(recipient=coordinator, kind="wanted").summary
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]]
    assert "Smith" not in mail.outbox[0].body


def test_re_importing_raises_no_alert_twice_but_a_changed_release_date_alerts_again(
        world, coordinator, feed_file):
    case_on_cohort(world.person, world.person.date_of_birth.replace(year=2025),
              lead=world.users["police"])
    _run(world, feed_file(DAY))
    again = _run(world, feed_file(DAY, "pnc-2025-06-02.csv"))
    assert again.alerts_raised == 0
    moved = [row("custody", "K1", "2025-06-01", custody_type="remand",
                  expected_release_date="2026-01-10", establishment="HMP Northshire")]
    later = _run(world, feed_file(moved, "pnc-2025-06-03.csv"))
    assert later.alerts_raised == 2
    assert "changed to 10 January 2026" in Alert.objects.filter(kind="release").first().summary


def test_people_not_on_a_cohort_raise_no_alerts(world, coordinator, feed_file):
    assert _run(world, feed_file(DAY)).alerts_raised == 0


def test_an_alert_is_acknowledged_with_a_note_and_logged(world, feed_file):
    case_on_cohort(world.person, world.person.date_of_birth.replace(year=2025),
              lead=world.users["police"])
    _run(world, feed_file(DAY[:1]))
    alert = Alert.objects.get()
    with pytest.raises(DomainError):
        acknowledge_alert(alert=alert, note=" ", acting_user=world.users["police"],
                          through="test")
    done = acknowledge_alert(alert=alert, note="Circulated to the team",
                             acting_user=world.users["police"], through="test")
    assert done.acknowledged_at and done.note == "Circulated to the team"
    entry = AccessLogEntry.objects.filter(through="test", action="update",
                                          user_id=world.users["police"].pk).last()
    assert entry is not None and entry.nominal_id == world.person.pk
