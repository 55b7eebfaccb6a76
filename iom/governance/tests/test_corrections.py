"""Corrections and withdrawals: only the supplier, history kept, every reader told."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.core.errors import DomainError, Forbidden
from iom.governance.corrections import correct_record, corrections_for_feed_report, notice_status
from iom.governance.models import Citation, Notice, RecordCorrection
from iom.people import services as people
from iom.people.models import OffendingEvent

pytestmark = pytest.mark.django_db


def _event(world):
    return people.add_record(nominal=world.person, kind="event", acting_user=world.users["police"],
                             through="test", fields={"kind": "arrest", "event_date": "2025-03-01",
                                                     "ho_code": "28A",
                                                     "description": "Burglary dwelling"},
                             source_system="pnc", source_record_id="PNC-1")


def _read_profile(client, user, pk):
    client.force_login(user)
    client.post(f"/people/{pk}/reason/", {"purpose": "other",
                                          "detail": "Preparing for the tasking meeting"})
    assert client.get(f"/people/{pk}/").status_code == 200


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_correction_keeps_the_old_value_and_tells_every_earlier_reader(client, world):
    event = _event(world)
    _read_profile(client, world.users["probation"], world.person.pk)
    _read_profile(client, world.users["housing"], world.person.pk)
    correction = correct_record(user=world.users["police"], nominal=world.person, kind="event",
                                record_id=event.pk, action="correct",
                                reason="Wrong date keyed from the custody record",
                                fields={"event_date": "2025-03-02"}, through="test")
    event.refresh_from_db()
    assert event.event_date == date(2025, 3, 2)
    assert correction.previous == {"event_date": "2025-03-01"}
    assert correction.new == {"event_date": "2025-03-02"}
    told = Notice.objects.filter(correction=correction)
    assert {n.recipient.get_username() for n in told} == {"probation_officer", "housing_officer"}
    assert all("Wrong date keyed" in n.summary and "event date" in n.summary for n in told)
    assert all(n.respond_by == date(2025, 6, 24) for n in told)
    logged = AccessLogEntry.objects.filter(action="update", nominal_id=world.person.pk).first()
    assert logged is not None and logged.detail["changed"]["event_date"] == ["2025-03-01",
                                                                            "2025-03-02"]


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_only_the_supplying_organisation_may_correct(world):
    event = _event(world)
    with pytest.raises(Forbidden, match="Northshire Police supplied"):
        correct_record(user=world.users["probation"], nominal=world.person, kind="event",
                       record_id=event.pk, action="withdraw", reason="Not ours to withdraw",
                       through="test")
    with pytest.raises(DomainError, match="at least 10"):
        correct_record(user=world.users["police"], nominal=world.person, kind="event",
                       record_id=event.pk, action="withdraw", reason="no", through="test")
    assert OffendingEvent.objects.filter(pk=event.pk).exists()


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_bad_corrected_value_is_refused_naming_the_field_and_nothing_changes(world):
    event = _event(world)
    with pytest.raises(DomainError) as caught:
        correct_record(user=world.users["police"], nominal=world.person, kind="event",
                       record_id=event.pk, action="correct", reason="Fixing the event date",
                       fields={"event_date": "2025-02-30"}, through="test")
    assert caught.value.problems[0].field == "event_date"
    event.refresh_from_db()
    assert event.event_date == date(2025, 3, 1)
    assert not RecordCorrection.objects.exists()


def test_withdrawal_removes_the_record_keeps_its_values_and_reports_to_the_feed(client, world):
    with time_machine.travel(date(2025, 6, 10), tick=False):
        event = _event(world)
        _read_profile(client, world.users["probation"], world.person.pk)
        correction = correct_record(user=world.users["police"], nominal=world.person,
                                    kind="event", record_id=event.pk, action="withdraw",
                                    reason="Recorded against the wrong person",
                                    through="test")
    assert not OffendingEvent.objects.filter(pk=event.pk).exists()
    assert correction.previous["description"] == "Burglary dwelling"
    notice = Notice.objects.get(correction=correction)
    assert notice.kind == "withdrawal" and "withdrawn" in notice.summary
    assert corrections_for_feed_report("pnc") == []  # a file not carrying it: not told
    assert [c.pk for c in corrections_for_feed_report("pnc", supplied=["PNC-1"])] == [
        correction.pk]  # a file still supplying the withdrawn record is told
    assert corrections_for_feed_report("pnc", supplied=["PNC-1"]) == []  # told once
    with time_machine.travel(date(2025, 6, 20), tick=False):
        assert notice_status(notice) == "outstanding"
    with time_machine.travel(date(2025, 6, 25), tick=False):
        assert notice_status(notice) == "overdue"


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_correction_page_and_the_dpo_overview(client, world):
    event = _event(world)
    _read_profile(client, world.users["probation"], world.person.pk)
    from iom.casework.models import GeneratedDocument

    document = GeneratedDocument.objects.create(nominal=world.person, kind="matrix_sheet",
                                                filename="m.pdf", content=b"%PDF", sha256="0",
                                                generated_by=world.users["police"])
    client.force_login(world.users["police"])
    url = f"/governance/people/{world.person.pk}/records/event/{event.pk}/correct/"
    assert client.get(url).status_code == 200
    sent = client.post(url, {"why-action": "correct", "why-reason": "Wrong court recorded",
                             "record-kind": "arrest", "record-event_date": "2025-03-01",
                             "record-ho_code": "28A", "record-court": "Northshire Crown",
                             "record-description": "Burglary dwelling"})
    assert sent.status_code == 302, sent.content.decode()[:3000]
    event.refresh_from_db()
    assert event.court == "Northshire Crown"
    correction = RecordCorrection.objects.get()
    assert Citation.objects.filter(correction=correction, cited_in="document",
                                   cited_id=document.pk).exists()
    from django.urls import reverse

    casework = client.get(reverse("casework:person", args=[world.person.pk])).content.decode()
    assert "May cite a corrected record" in casework and "Wrong court recorded" in casework
    _read_profile(client, world.users["probation"], world.person.pk)
    assert client.get(url).status_code == 403  # not the supplier
    page = client.get("/governance/notices/").content.decode()
    assert "Wrong court recorded" in page
    client.force_login(world.users["dpo"])
    overview = client.get("/governance/corrections/").content.decode()
    assert "probation_officer" in overview and "Outstanding (1)" in overview
    assert "Matrix sheet" in overview or "IOM Matrix sheet" in overview


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_correction_through_the_api(client, world, token_for):
    event = _event(world)
    _read_profile(client, world.users["probation"], world.person.pk)
    url = (f"/api/governance/people/{world.person.pk}/records/event/{event.pk}/correction")
    sent = client.post(url, {"action": "correct", "reason": "Wrong offence code keyed",
                             "fields": {"description": "Burglary other than dwelling"}},
                       content_type="application/json", HTTP_AUTHORIZATION=token_for("police"))
    assert sent.status_code == 201, sent.content
    assert sent.json()["readers_told"] == 1
    refused = client.post(url, {"action": "withdraw", "reason": "Not ours to withdraw"},
                          content_type="application/json",
                          HTTP_AUTHORIZATION=token_for("probation"),
                          HTTP_X_ACCESS_REASON="Checking the correction refusal")
    assert refused.status_code == 403
    notices = client.get("/api/governance/notices",
                         HTTP_AUTHORIZATION=token_for("probation")).json()
    assert len(notices) == 1 and notices[0]["kind"] == "correction"
