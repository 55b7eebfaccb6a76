"""Subject access: the calendar-month due date, the review, the pack and its log."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from iom.audit.models import AccessLogEntry
from iom.core.errors import DomainError
from iom.governance import subject_access as sar
from iom.governance.policy import SYSTEM_SIGHT
from iom.people import services as people

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("received", "due"), [
    (date(2025, 3, 3), date(2025, 4, 3)),     # the same day number next month
    (date(2025, 1, 31), date(2025, 2, 28)),   # no 31 February: the last day of February
    (date(2024, 1, 31), date(2024, 2, 29)),   # a leap year
    (date(2025, 3, 31), date(2025, 4, 30)),   # April has 30 days
    (date(2025, 5, 5), date(2025, 6, 5)),     # a Thursday stays
    (date(2025, 4, 5), date(2025, 5, 6)),     # Monday 5 May 2025 is a bank holiday
    (date(2025, 5, 10), date(2025, 6, 10)),   # a Tuesday
    (date(2025, 5, 14), date(2025, 6, 16)),   # 14 June 2025 is a Saturday: to Monday
    (date(2025, 11, 25), date(2025, 12, 29)), # 25 December, 26 and a weekend: on to 29th
])
def test_due_date_is_one_calendar_month_then_the_next_working_day(received, due):
    assert sar.due_date(received) == due


def _records(world):
    people.add_record(nominal=world.person, kind="address", acting_user=world.users["police"],
                      through="test", fields={"line1": "1 High Street", "town": "Northshire",
                                              "postcode": "NS1 1AA", "from_date": "2024-01-01"})
    return people.add_record(
        nominal=world.person, kind="intelligence", acting_user=world.users["police"],
        through="test", fields={"recorded_date": "2025-01-01", "grading_system": "5x5x5",
                                "source_grade": "B", "intel_grade": "2", "handling_code": "1",
                                "crime_type": "acquisitive",
                                "summary": "Seen dealing near the park"})


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_export_has_every_record_with_its_source_and_who_received_it(client, world):
    intel = _records(world)
    client.force_login(world.users["probation"])
    client.post(f"/people/{world.person.pk}/reason/",
                {"purpose": "other", "detail": "Preparing for the tasking meeting"})
    client.get(f"/people/{world.person.pk}/")
    export = sar.build_export(world.person, sight=SYSTEM_SIGHT)
    kinds = {r.kind for r in export.records}
    assert {"person", "address", "intelligence", "allocation"} <= kinds
    address = next(r for r in export.records if r.kind == "address")
    assert address.source_organisation == "Northshire Police"
    assert address.source_system == "iom" and address.recorded_at
    assert "Northshire Probation" in address.disclosed_to
    assert any(r.kind == "intelligence" and r.id == str(intel.pk) for r in export.records)


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_withheld_items_never_reach_the_output(world):
    intel = _records(world)
    request = sar.open_request(nominal=world.person, received_on=date(2025, 6, 2),
                               acting_user=world.users["dpo"], through="test")
    assert request.due_on == date(2025, 7, 2)
    with pytest.raises(DomainError, match="at least 10"):
        sar.withhold(request=request, kind="intelligence", record_id=str(intel.pk), reason="x",
                     may_say_withheld=True, acting_user=world.users["dpo"], through="test")
    sar.withhold(request=request, kind="intelligence", record_id=str(intel.pk),
                 reason="Would identify a covert human source (s45(4)(a))",
                 may_say_withheld=True, acting_user=world.users["dpo"], through="test")
    export = sar.build_export(world.person, request, sight=SYSTEM_SIGHT)
    text = sar.export_json(export).decode()
    assert "Seen dealing" not in text and json.loads(text)["information_withheld"] is True
    pack = zipfile.ZipFile(io.BytesIO(sar.export_zip(export)))
    assert {"subject-access.json", "schema.json", "address.csv", "person.csv"} <= set(
        pack.namelist())
    assert "intelligence.csv" not in pack.namelist()
    assert all("Seen dealing" not in pack.read(n).decode() for n in pack.namelist())
    # Where saying so would itself prejudice (s45(5)), the pack does not say it.
    sar.withhold(request=request, kind="intelligence", record_id=str(intel.pk),
                 reason="Would identify a covert human source (s45(4)(a))",
                 may_say_withheld=False, acting_user=world.users["dpo"], through="test")
    export = sar.build_export(world.person, request, sight=SYSTEM_SIGHT)
    assert export.as_json()["information_withheld"] is False


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_the_dpo_answers_a_request_in_the_pages(client, world):
    intel = _records(world)
    client.force_login(world.users["dpo"])
    found = client.get("/governance/subject-access/", {"q": "2012/0012345A"}).content.decode()
    assert "SMITH, Jonathan" in found
    opened = client.post("/governance/subject-access/", {"person": world.person.pk,
                                                         "received_on": "2025-06-02"})
    assert opened.status_code == 302
    detail_url = opened["Location"]
    page = client.get(detail_url).content.decode()
    assert "Wednesday 2 July 2025" in page and "Review" in page
    client.post(detail_url, {"kind": "intelligence", "record_id": intel.pk,
                             "reason": "Would identify a covert human source"})
    pdf = client.get(detail_url + "pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    data = json.loads(client.get(detail_url + "json/").content)
    assert data["records"] and all(
        {"kind", "id", "source_organisation", "recorded_at"} <= set(r) for r in data["records"])
    assert not any(r["kind"] == "intelligence" for r in data["records"])
    logged = AccessLogEntry.objects.filter(action="export", nominal_id=world.person.pk)
    assert {e.detail["format"] for e in logged} == {"pdf", "json"}
    assert all(e.username == "dpo_police" for e in logged)
    client.force_login(world.users["police"])  # case workers do not answer requests
    assert client.get(detail_url).status_code == 404


@time_machine.travel(date(2025, 6, 10), tick=False)
def test_subject_access_command_writes_the_pdf_and_json(world, tmp_path):
    _records(world)
    call_command("subject_access", "--pnc", "2012/0012345A", "--out", str(tmp_path))
    assert (tmp_path / "subject-access.pdf").read_bytes().startswith(b"%PDF")
    data = json.loads((tmp_path / "subject-access.json").read_text())
    assert data["subject"]["pnc_id"] == "2012/0012345A"
    assert {r["kind"] for r in data["records"]} >= {"person", "address", "intelligence"}
    assert AccessLogEntry.objects.filter(action="export", through__startswith="command "
                                         "subject_access").exists()
