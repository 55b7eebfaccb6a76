"""The coordinator's journey in the browser's pages, and the alerts inbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iom.cohorts.tests.factories import case_on_cohort
from iom.feeds.models import Alert, ImportRun, RunStatus

from .conftest import row

pytestmark = pytest.mark.django_db

DAY = [row("wanted", "W1", "2025-06-01"), row("arrest", "A1", "2025-06-01", ho_code="28A")]


def _upload(client, path: Path):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")}
    return client.post(reverse("feeds:upload"), data)


def test_a_coordinator_uploads_sees_counts_and_alerts_then_re_uploads(
        client, world, coordinator, feed_file):
    case_on_cohort(world.person, world.person.date_of_birth.replace(year=2025),
              lead=world.users["police"])
    client.force_login(coordinator)
    path = feed_file(DAY)
    response = _upload(client, path)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feeds:run",
                                                                           args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page and "New records" in page and "Alerts raised" in page
    assert (run.new, run.alerts_raised) == (2, 4)
    assert 'class="moj-notification-badge">2' in client.get(reverse("feeds:runs")).content.decode()
    _upload(client, path)
    again = ImportRun.objects.order_by("-pk").first()
    assert again is not None and (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert "Nothing changed" in client.get(reverse("feeds:run", args=[again.pk])).content.decode()


def test_a_broken_file_shows_the_problems_and_offers_them_as_csv(
        client, world, coordinator, feed_file):
    client.force_login(coordinator)
    _upload(client, feed_file([row("teleportation", "X1", "2025-06-01")]))
    run = ImportRun.objects.get()
    assert run.status == RunStatus.REJECTED
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    assert "Nothing from this file was stored" in page and "record_type" in page
    csv = client.get(reverse("feeds:problems", args=[run.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == ["row,column,reason",
                                                 "1,record_type,is not a known record type"]


def test_the_upload_form_asks_for_a_file(client, world, coordinator):
    client.force_login(coordinator)
    page = client.post(reverse("feeds:upload"), {}).content.decode()
    assert "Choose a feed file to upload" in page and "govuk-error-summary" in page


def test_a_large_upload_goes_to_the_background_job(client, world, coordinator, feed_file,
                                                   settings):
    settings.IOM_FEED_BACKGROUND_BYTES = 10  # the test settings run jobs at once
    client.force_login(coordinator)
    _upload(client, feed_file(DAY))
    assert ImportRun.objects.get().status == RunStatus.DONE


def test_a_run_page_refreshes_itself_while_the_import_is_under_way(client, world, coordinator):
    client.force_login(coordinator)
    run = ImportRun.objects.create(file_name="pnc-2025-06-02.csv", feed_date="2025-06-02",
                                   partnership=world.north, organisation=world.orgs["police"],
                                   status=RunStatus.WRITING)
    page = client.get(reverse("feeds:run", args=[run.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "In progress" in page


def test_the_lead_reads_and_acknowledges_an_alert_in_the_inbox(client, world, coordinator,
                                                               feed_file):
    case_on_cohort(world.person, world.person.date_of_birth.replace(year=2025),
              lead=world.users["police"])
    client.force_login(coordinator)
    _upload(client, feed_file(DAY[:1]))
    client.force_login(world.users["police"])
    inbox = client.get(reverse("feeds:inbox")).content.decode()
    alert = Alert.objects.get(recipient=world.users["police"])
    assert "Jonathan Smith" in inbox and "review for RED" in inbox
    url = reverse("feeds:alert", args=[alert.pk])
    assert "Enter a note" in client.post(url, {"note": ""}).content.decode()
    assert client.post(url, {"note": "Briefed the team"}).status_code == 302
    alert.refresh_from_db()
    assert alert.note == "Briefed the team" and alert.acknowledged_at is not None
    assert "no alerts" in client.get(reverse("feeds:inbox")).content.decode()


def test_another_users_alert_is_not_found(client, world, coordinator, feed_file):
    case_on_cohort(world.person, world.person.date_of_birth.replace(year=2025),
              lead=world.users["police"])
    client.force_login(coordinator)
    _upload(client, feed_file(DAY[:1]))
    theirs = Alert.objects.get(recipient=world.users["police"])
    client.force_login(world.users["probation"])
    assert client.get(reverse("feeds:alert", args=[theirs.pk])).status_code == 404
