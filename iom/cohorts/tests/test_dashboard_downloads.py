"""The cohort dashboard's tables download as CSV and XLSX: what the page shows, for the
people the viewer may see only, each logged as an export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import CohortState, Rag
from iom.cohorts.models import CohortMembership
from iom.cohorts.tests.factories import PLACED, on_cohort
from iom.core.testing import sheets

pytestmark = pytest.mark.django_db


def _placed(world, nominal):
    return CohortMembership.objects.create(
        nominal=nominal, policy_name="derbyshire-2021", policy_version=1,
        state=CohortState.ON_COHORT, cohort_type="fixed", rag=Rag.GREEN, opened_on=PLACED,
        placed_on=PLACED)


@pytest.fixture
def cohort(world):
    """Jonathan Smith (led by a probation officer whose name looks like a formula), Carl
    Mentored (the mentor's charity has his consent) and Wes Elsewhere of Westmoor."""
    lead = world.users["probation"]
    lead.first_name = '=HYPERLINK("http://example.invalid")'
    lead.save(update_fields=["first_name"])
    on_cohort(world)
    for nominal in (world.consented, world.foreign):
        _placed(world, nominal)
    return world


def _blocks(data: bytes) -> dict[str, list[list[str]]]:
    """The CSV's tables by name (each under a line with its name, a blank line between)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    found: dict[str, list[list[str]]] = {}
    name = None
    for row in rows:
        if not row:
            name = None
        elif name is None:
            name = row[0]
            found[name] = []
        else:
            found[name].append(row)
    return found


def _everyone_on_the_page(page: str) -> list[str]:
    panel = page.split('id="everyone"', 1)[1]
    return re.findall(r'#cohort">([^<]+)</a>', panel)


def test_the_csv_holds_the_pages_tables_and_logs_each_person(client, cohort):
    client.force_login(cohort.users["police"])
    page = client.get(reverse("cohorts:dashboard")).content.decode()
    assert "Download the dashboard&#x27;s tables" in page or "Download the dashboard's" in page
    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = client.get(reverse("cohorts:dashboard-download", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cohort-dashboard-')
    tables = _blocks(response.content)
    everyone = tables["Everyone"]
    assert everyone[0] == ["Name", "Cohort", "RAG", "Lead professional", "Next review"]
    assert [r[0] for r in everyone[1:]] == _everyone_on_the_page(page) == [
        "MENTORED, Carl", "SMITH, Jonathan"]
    assert "ELSEWHERE" not in response.content.decode("utf-8-sig")  # another partnership
    smith = next(r for r in everyone if r[0] == "SMITH, Jonathan")
    assert smith[3].startswith("'=HYPERLINK(")  # a formula-like name is text, escaped
    rag = tables["By cohort and RAG"]
    assert rag[0] == ["Cohort", "RED", "AMBER ALERT", "AMBER", "GREEN", "BLUE", "Total"]
    assert rag[-1][-1] == "2"
    entries = AccessLogEntry.objects.filter(pk__gt=last or 0)
    assert {(e.nominal_id, e.action, e.detail["format"], e.detail["list"]) for e in entries} == {
        (cohort.person.pk, "export", "csv", "cohort dashboard"),
        (cohort.consented.pk, "export", "csv", "cohort dashboard")}


def test_the_workbook_has_a_sheet_for_each_table(client, cohort):
    client.force_login(cohort.users["police"])
    response = client.get(reverse("cohorts:dashboard-download", args=["xlsx"]),
                          {"rag": "green"})
    assert response.status_code == 200
    book = sheets(response.content)
    assert list(book) == ["By cohort and RAG", "By strand", "Floors", "Reviews due",
                          "Releases", "Deselection", "Awaiting panel", "Everyone"]
    # The filter chosen on the page: green only, so Jonathan Smith (amber) is left out.
    assert [r[0] for r in book["Everyone"][3:]] == ["MENTORED, Carl"]
    smith = AccessLogEntry.objects.filter(nominal_id=cohort.person.pk, action="export")
    assert not smith.exists()


def test_a_partner_without_consent_downloads_only_whom_they_may_see(client, cohort):
    client.force_login(cohort.users["mentor"])
    response = client.get(reverse("cohorts:dashboard-download", args=["csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "MENTORED, Carl" in text and "SMITH" not in text and "ELSEWHERE" not in text


def test_a_bad_format_or_filter_is_refused(client, cohort):
    client.force_login(cohort.users["police"])
    assert client.get(reverse("cohorts:dashboard-download", args=["pdf"])).status_code == 404
    response = client.get(reverse("cohorts:dashboard-download", args=["csv"]), {"rag": "purple"})
    assert response.status_code == 400
    assert "RAG status: Select a valid choice" in response.content.decode()
    client.force_login(cohort.users["analyst"])  # figures only, never names
    assert client.get(reverse("cohorts:dashboard-download", args=["csv"])).status_code == 404
