"""The breach register: people picked from the access log, the 72-hour clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.governance import breaches
from iom.governance.models import Breach

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_the_clock_runs_72_hours_from_discovery(world):
    breach = Breach(partnership=world.north, summary="Email to wrong partner",
                    what_happened="x", discovered_at=datetime(2025, 6, 8, 9, 0, tzinfo=UTC))
    found = breaches.clock(breach)
    assert found.deadline == datetime(2025, 6, 11, 9, 0, tzinfo=UTC)
    assert (found.state, found.hours_left) == ("running", 21)
    breach.discovered_at = datetime(2025, 6, 7, 11, 59, tzinfo=UTC)
    assert breaches.clock(breach).state == "overdue"
    breach.reportable = False
    assert breaches.clock(breach).state == "not_reportable"
    breach.reported_at = NOW
    assert breaches.clock(breach).state == "reported"


@time_machine.travel(NOW, tick=False)
def test_the_dpo_records_a_breach_from_access_log_entries(client, world):
    client.force_login(world.users["police"])
    client.get(f"/people/{world.person.pk}/")
    entry = AccessLogEntry.objects.filter(nominal_id=world.person.pk).order_by("-id").first()
    assert entry is not None
    client.force_login(world.users["dpo"])
    sent = client.post("/governance/breaches/", {
        "summary": "Profile printed and left on a train", "what_happened": "Printed copy lost",
        "discovered_at": "2025-06-10T09:00", "entries": f"{entry.pk}"})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    breach = Breach.objects.get()
    assert list(breach.people.all()) == [world.person]
    page = client.get(sent["Location"]).content.decode()
    assert "68 hours left" in page  # 09:00 BST is 08:00 UTC and "Jonathan Smith" in page
    refused = client.post(sent["Location"], {"state": "contained", "reportable": "no",
                                             "reportable_reason": "x"})
    assert refused.status_code == 200 and "at least 10" in refused.content.decode()
    bad = client.post("/governance/breaches/", {
        "summary": "Another", "what_happened": "x", "discovered_at": "2025-06-10T09:00",
        "entries": "999999"})
    assert "No access log entry 999999" in bad.content.decode()
    client.force_login(world.users["police"])
    assert client.get("/governance/breaches/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_dpo_start_page_counts_what_needs_doing(client, world):
    from datetime import date

    from iom.governance.subject_access import open_request

    open_request(nominal=world.person, received_on=date(2025, 4, 1), acting_user=None,
                 through="test")
    client.force_login(world.users["dpo"])
    page = client.get("/governance/").content.decode()
    assert "1 open" in page and "1 overdue" in page
    assert "organisations without one" in page
    assert "Information governance" in client.get("/").content.decode()
