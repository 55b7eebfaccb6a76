"""Consent and involvement: paperwork, youth, withdrawal at once, expiry reminders, API."""

from __future__ import annotations

import base64
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from iom.core.errors import DomainError
from iom.governance import services
from iom.governance.models import Consent, ConsentPaperwork, Notice, NoticeKind
from iom.governance.notices import remind_of_expiring_consent
from iom.governance.paperwork import sniff_paperwork

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _reason(client, pk):
    client.post(f"/people/{pk}/reason/",
                {"purpose": "other", "detail": "Recording the signed consent form"})


def test_paperwork_type_comes_from_its_content_not_its_name():
    assert sniff_paperwork(PDF, max_bytes=10_000) == "application/pdf"
    assert sniff_paperwork(PNG, max_bytes=10_000) == "image/png"
    assert sniff_paperwork(JPEG, max_bytes=10_000) == "image/jpeg"
    with pytest.raises(DomainError, match="PDF, PNG or JPEG"):
        sniff_paperwork(b"MZ\x90\x00 pretending.pdf", max_bytes=10_000)
    with pytest.raises(DomainError, match="empty"):
        sniff_paperwork(b"", max_bytes=10_000)
    with pytest.raises(DomainError, match="smaller than"):
        sniff_paperwork(PDF + b"x" * 5000, max_bytes=2048)


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_consent_page_keeps_the_signed_form_and_refuses_a_bad_one(client, world):
    police = world.users["police"]
    client.force_login(police)
    _reason(client, world.unconsented.pk)
    url = f"/governance/people/{world.unconsented.pk}/sharing/"
    fields = {"form": "consent", "consent-organisation": world.orgs["voluntary"].pk,
              "consent-basis": "consent", "consent-status": "given",
              "consent-decided_on": "2025-06-01", "consent-given_by": "person"}
    bad = client.post(url, {**fields, "consent-paperwork": SimpleUploadedFile(
        "form.pdf", b"<html>not a pdf</html>", content_type="application/pdf")})
    assert bad.status_code == 200
    assert "must be a PDF, PNG or JPEG" in bad.content.decode()
    assert not Consent.objects.filter(nominal=world.unconsented).exists()  # nothing half-stored

    good = client.post(url, {**fields, "consent-paperwork": SimpleUploadedFile(
        "form.bin", PDF, content_type="application/octet-stream")})
    assert good.status_code == 302
    paperwork = ConsentPaperwork.objects.get(consent__nominal=world.unconsented)
    assert paperwork.content_type == "application/pdf" and paperwork.size == len(PDF)
    page = client.get(url).content.decode()
    assert "Signed form" in page
    download = client.get(f"/governance/consents/{paperwork.consent_id}/paperwork/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    client.force_login(world.users["mentor"])  # a partner does not read the forms
    assert client.get(f"/governance/consents/{paperwork.consent_id}/paperwork/").status_code == 404


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_youth_consent_by_a_parent_or_guardian_names_them_in_the_page_and_api(
        client, world, token_for):
    youth = world.unconsented
    youth.date_of_birth = date(2010, 1, 1)
    youth.save()
    sent = client.post(f"/api/governance/people/{youth.pk}/consents", {
        "organisation_id": world.orgs["voluntary"].pk, "status": "given",
        "decided_on": "2025-06-01", "given_by": "parent_or_guardian"},
        content_type="application/json", HTTP_AUTHORIZATION=token_for("police"),
        HTTP_X_ACCESS_REASON="Recording the parent's consent form")
    assert sent.status_code == 422
    assert sent.json()["error"]["fields"][0]["field"] == "guardian_name"
    services.record_consent(nominal=youth, organisation=world.orgs["voluntary"],
                            status="given", decided_on=date(2025, 6, 1), acting_user=None,
                            through="test", given_by="parent_or_guardian",
                            guardian_name="Mary Unconsented")
    client.force_login(world.users["police"])
    _reason(client, youth.pk)
    page = client.get(f"/governance/people/{youth.pk}/sharing/").content.decode()
    assert "Mary Unconsented" in page


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_a_decision_cannot_be_dated_in_the_future(world):
    with pytest.raises(DomainError, match="cannot be in the future"):
        services.record_consent(nominal=world.consented, organisation=world.orgs["voluntary"],
                                status="withdrawn", decided_on=date(2025, 6, 11),
                                acting_user=None, through="test")


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_withdrawal_closes_the_persons_items_in_open_meetings_at_once(world):
    from datetime import time

    from iom.meetings.models import AgendaItem, Attendance, Meeting

    police = world.users["police"]
    meeting = Meeting.objects.create(partnership=world.north, kind="tasking", title="Tasking",
                                     held_on=date(2025, 6, 12), start_time=time(9, 30),
                                     chair=police, created_by=police)
    for org in (world.orgs["police"], world.orgs["voluntary"]):
        Attendance.objects.create(meeting=meeting, organisation=org, name=str(org),
                                  added_by=world.users["police"])
    item = AgendaItem.objects.create(meeting=meeting, nominal=world.consented, title="Carl",
                                     added_by=police, position=1)
    from iom.meetings.services.base import refresh_sessions

    refresh_sessions(meeting)
    item.refresh_from_db()
    assert not item.closed_session
    services.record_consent(nominal=world.consented, organisation=world.orgs["voluntary"],
                            status="withdrawn", decided_on=date(2025, 6, 10), acting_user=None,
                            through="test")
    item.refresh_from_db()
    assert item.closed_session
    assert list(item.shut_out.all()) == [world.orgs["voluntary"]]


def _expiring(world, expires: date) -> Consent:
    return services.record_consent(nominal=world.person, organisation=world.orgs["voluntary"],
                                   status="given", decided_on=date(2025, 1, 1),
                                   expires_on=expires, acting_user=None, through="test")


@time_machine.travel(date(2025, 6, 1), tick=False)
def test_expiry_reminder_goes_to_the_lead_once_28_days_ahead(world):
    inside = _expiring(world, date(2025, 6, 29))  # 28 days ahead: reminded
    remind_of_expiring_consent(through="test")
    notices = Notice.objects.filter(kind=NoticeKind.CONSENT_EXPIRY)
    assert [(n.recipient, n.nominal) for n in notices] == [(world.users["police"], world.person)]
    assert "29 June 2025" in notices[0].summary and "in 28 days" in notices[0].summary
    remind_of_expiring_consent(through="test")  # the next day's run: not told twice
    assert notices.count() == 1
    assert inside.pk


@time_machine.travel(date(2025, 6, 1), tick=False)
def test_no_reminder_29_days_ahead_or_for_a_replaced_consent(world):
    _expiring(world, date(2025, 6, 30))  # 29 days: not yet
    remind_of_expiring_consent(through="test")
    assert not Notice.objects.exists()
    services.record_consent(nominal=world.consented, organisation=world.orgs["voluntary"],
                            status="given", decided_on=date(2025, 1, 2),
                            expires_on=date(2025, 6, 10), acting_user=None, through="test")
    services.record_consent(nominal=world.consented, organisation=world.orgs["voluntary"],
                            status="withdrawn", decided_on=date(2025, 5, 1),
                            acting_user=None, through="test")
    remind_of_expiring_consent(through="test")
    assert not Notice.objects.exists()


@time_machine.travel(date(2025, 6, 1), tick=False)
def test_reminder_command_and_the_inbox_page(client, world, capsys):
    _expiring(world, date(2025, 6, 15))
    call_command("remind_consent_expiry")
    assert "1 new notice(s)" in capsys.readouterr().out
    client.force_login(world.users["police"])
    page = client.get("/governance/notices/").content.decode()
    assert "Consent expires soon" in page and "15 June 2025" in page
    notice = Notice.objects.get()
    assert client.post(f"/governance/notices/{notice.pk}/acknowledge/").status_code == 302
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    client.force_login(world.users["probation"])  # not theirs
    assert client.post(f"/governance/notices/{notice.pk}/acknowledge/").status_code == 404


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_consent_and_involvement_through_the_api(client, world, token_for):
    auth = token_for("police")
    base = f"/api/governance/people/{world.unconsented.pk}"
    head = {"HTTP_AUTHORIZATION": auth, "HTTP_X_ACCESS_REASON": "Recording consent paperwork"}
    sent = client.post(f"{base}/consents", {
        "organisation_id": world.orgs["voluntary"].pk, "status": "given",
        "decided_on": "2025-06-01", "expires_on": "2025-06-05",
        "paperwork": {"file_name": "form.png", "content_base64": base64.b64encode(PNG).decode()},
    }, content_type="application/json", **head)
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["paperwork"] == "image/png" and body["state_today"] == "expired"
    listed = client.get(f"{base}/consents", **head).json()
    assert [c["id"] for c in listed] == [body["id"]]
    bad = client.post(f"{base}/consents", {
        "organisation_id": world.orgs["voluntary"].pk, "status": "given",
        "decided_on": "2025-06-01",
        "paperwork": {"file_name": "x.pdf", "content_base64": base64.b64encode(b"no").decode()},
    }, content_type="application/json", **head)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "paperwork"
    assert Consent.objects.filter(nominal=world.unconsented).count() == 1

    involvements = client.get(f"{base}/involvements", **head).json()
    assert len(involvements) == 1
    ended = client.post(f"{base}/involvements/{involvements[0]['id']}/end",
                        {"end_date": "2025-06-09"}, content_type="application/json", **head)
    assert ended.status_code == 200 and ended.json()["end_date"] == "2025-06-09"
    mentor = token_for("mentor")
    assert client.get(f"{base}/consents", HTTP_AUTHORIZATION=mentor,
                      HTTP_X_ACCESS_REASON="Looking at consent").status_code == 404


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_ending_an_involvement_on_the_page_hides_the_person_from_tomorrow(client, world):
    involvement = world.consented.involvements.get()
    client.force_login(world.users["police"])
    _reason(client, world.consented.pk)
    sent = client.post(f"/governance/people/{world.consented.pk}/sharing/",
                       {"form": "end", "involvement": involvement.pk})
    assert sent.status_code == 302
    involvement.refresh_from_db()
    assert involvement.end_date == date(2025, 6, 10)
    client.force_login(world.users["mentor"])
    assert client.get(f"/people/{world.consented.pk}/").status_code in (200, 302)
    with time_machine.travel(date(2025, 6, 11), tick=False):
        client.force_login(world.users["mentor"])
        assert client.get(f"/people/{world.consented.pk}/").status_code == 404
