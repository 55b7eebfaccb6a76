"""The impact pages and downloads: who may read them, no names, the same numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from iom.audit.models import AccessLogEntry
from iom.casework.models import TagAudit
from iom.reporting.exports import CSV_COLUMNS

from .conftest import QUERY

pytestmark = pytest.mark.django_db


def _names(impact, world) -> list[str]:
    people = [*impact.members, *impact.others, world.person]
    return [n for p in people for n in (p.forename, p.surname)] + [world.person.pnc_id]


def test_the_analyst_sees_figures_and_no_names(client, world, impact):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("reporting:impact"), QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Before and after selection" in page and "difference in differences" in page
    assert "more likely to be caught" in page  # the enforcement caveat beside the result
    for name in _names(impact, world):
        assert name not in page


def test_a_board_member_reads_the_pack_only(client, world, impact):
    client.force_login(impact.board)
    assert client.get(reverse("reporting:impact"), QUERY).status_code == 404
    response = client.get(reverse("reporting:board-pack"), QUERY)
    assert response.status_code == 200
    for name in _names(impact, world):
        assert name not in response.content.decode()


@pytest.mark.parametrize("persona", ["police", "probation", "housing", "mentor", "dpo",
                                     "admin", "outsider"])
def test_case_workers_and_others_are_refused(client, world, impact, persona):
    client.force_login(world.users[persona])
    for url in (reverse("reporting:impact"), reverse("reporting:board-pack"),
                reverse("reporting:download", args=["csv"])):
        assert client.get(url, QUERY).status_code == 404


def test_the_csv_is_long_form_and_small_numbers_are_suppressed(client, world, impact):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("reporting:download", args=["csv"]), QUERY)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    people = {(r["table"], r["group"]): r for r in rows if r["measure"] == "people"}
    # Eight placed, all with the full window by the end of March 2026.
    assert people[("before_after", "All")]["value"] == "8"
    proven_after = next(r for r in rows if r["table"] == "before_after"
                        and r["group"] == "All" and r["measure"] == "proven_after")
    assert proven_after["suppressed"] == "true" and proven_after["value"] == ""  # 3 offences
    for row in rows:
        assert row["unit"] in {"count", "rate", "percent", "mean", "score"}
        assert (row["value"] == "") == (row["suppressed"] == "true") or row["value"] == ""
        if row["unit"] == "count" and row["value"]:
            assert not 0 < int(row["value"]) < 5
    for name in _names(impact, world):
        assert name not in response.content.decode()


def test_the_page_and_the_csv_show_the_same_numbers(client, world, impact):
    client.force_login(world.users["analyst"])
    page = client.get(reverse("reporting:impact"), QUERY).content.decode()
    rows = csv.DictReader(io.StringIO(client.get(
        reverse("reporting:download", args=["csv"]), QUERY).content.decode("utf-8-sig")))
    freq = next(r for r in rows if r["table"] == "before_after" and r["group"] == "All"
                and r["measure"] == "frequency_before")
    assert freq["value"] == "2.00"  # two proven offences each in the year before
    assert ">2.00<" in page


def test_the_pdf_downloads_and_each_export_is_logged(client, world, impact):
    client.force_login(impact.board)
    before = AccessLogEntry.objects.filter(action="export").count()
    response = client.get(reverse("reporting:download", args=["pdf"]), QUERY)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    entry = AccessLogEntry.objects.filter(action="export").order_by("-pk").first()
    assert AccessLogEntry.objects.filter(action="export").count() == before + 1
    assert entry is not None and entry.detail["format"] == "pdf" and entry.nominal_id is None


def test_a_bad_period_is_refused_with_a_message(client, world, impact):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("reporting:impact"),
                          {"date_from": "2026-01-01", "date_to": "2025-01-01"})
    assert response.status_code == 400
    assert "The end of the period must be on or after its start" in response.content.decode()
    response = client.get(reverse("reporting:download", args=["csv"]), {"date_from": "soon"})
    assert response.status_code == 400 and b"date_from" in response.content


def test_the_workbook_downloads(client, world, impact):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("reporting:download", args=["xlsx"]), QUERY)
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert client.get(reverse("reporting:download", args=["doc"]), QUERY).status_code == 404


def test_each_compliance_rule_has_its_on_time_rate(client, world, impact):
    client.force_login(world.users["analyst"])
    rows = list(csv.DictReader(io.StringIO(client.get(
        reverse("reporting:download", args=["csv"]), QUERY).content.decode("utf-8-sig"))))
    plan = {r["measure"]: r["value"] for r in rows if r["table"] == "compliance"
            and r["group"].startswith("Intervention plan")}
    # Eight people placed on 1 February 2025, none with an endorsed plan: all late.
    assert (plan["deadlines"], plan["late"], plan["met"], plan["on_time_percent"]) == (
        "8", "8", "0", "0.0")


def test_engagement_and_the_monthly_tag_audit_have_their_on_time_rates(client, world, impact):
    """Worked by hand: the period 1 January 2025 to 31 March 2026 takes the tag audits of
    December 2024 (due on working day 5 of January 2025, 8 January) to February 2026 (due 6
    March 2026): 15 for the one district. Six are done by their due day, the rest never,
    so 6 of 15 on time, 40%. Nobody placed on 1 February 2025 has had a contact: the 8
    initial engagements are all late."""
    for month in range(6):
        first = date(2024, 12, 1) if month == 0 else date(2025, month, 1)
        TagAudit.objects.create(district=world.district, month=first,
                                completed_on=first.replace(day=28), findings="All present",
                                recorded_by=world.users["police"])
    client.force_login(world.users["analyst"])
    rows = list(csv.DictReader(io.StringIO(client.get(
        reverse("reporting:download", args=["csv"]), QUERY).content.decode("utf-8-sig"))))
    audit = {r["measure"]: r["value"] for r in rows if r["table"] == "compliance"
             and r["group"].startswith("Monthly audit of active and inactive tags")}
    assert (audit["deadlines"], audit["met"], audit["late"], audit["on_time_percent"]) == (
        "15", "6", "9", "40.0")
    engaged = {r["measure"]: r["value"] for r in rows if r["table"] == "compliance"
               and r["group"].startswith("Initial engagement")}
    assert (engaged["deadlines"], engaged["late"], engaged["on_time_percent"]) == (
        "8", "8", "0.0")
