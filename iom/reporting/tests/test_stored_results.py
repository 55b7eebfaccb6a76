"""Stored impact results: the same tables as afresh, read again until an input changes."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import Rag
from iom.cohorts.models import CohortMembership
from iom.core.testing import pdf_text
from iom.reporting.compute import compute_pack, reporting_config
from iom.reporting.forms import default_period
from iom.reporting.freshness import canonical
from iom.reporting.models import StoredImpact
from iom.reporting.pack import impact_pack
from iom.reporting.selectors import Scope
from iom.reporting.services import fresh_or_stored
from iom.scoring.signals import nightly_run_finished

from .conftest import FROM, QUERY, TO, _offence

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MORNING = datetime(2026, 4, 15, 9, 30, tzinfo=LONDON)


@pytest.fixture
def scope(world, impact) -> Scope:
    return Scope(world.north, FROM, TO)


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(MORNING):
        yield


def _stored() -> StoredImpact:
    return StoredImpact.objects.get()


def test_the_stored_pack_has_the_same_tables_as_a_fresh_one(scope):
    first = fresh_or_stored(scope)
    again = fresh_or_stored(scope)  # read back from the database
    assert StoredImpact.objects.count() == 1
    assert again.tables == first.tables == compute_pack(scope).tables
    assert again.figures_as_at == first.figures_as_at == _stored().computed_at


def test_a_stored_pack_is_read_without_computing_again(scope):
    fresh_or_stored(scope)
    computed = _stored().computed_at
    with time_machine.travel(datetime(2026, 4, 15, 11, 0, tzinfo=LONDON)):
        assert fresh_or_stored(scope).figures_as_at == computed


def test_a_new_offence_makes_the_next_read_compute_again(scope, impact, world):
    before = fresh_or_stored(scope).table("before_after").cell("All", "proven_before")
    with time_machine.travel(datetime(2026, 4, 15, 11, 0, tzinfo=LONDON)):
        _offence(impact.members[5], world.orgs["police"], date(2024, 12, 1))
        after = fresh_or_stored(scope)
    assert after.figures_as_at == _stored().computed_at
    assert after.figures_as_at.astimezone(LONDON).hour == 11
    assert isinstance(before.value, int)
    assert after.table("before_after").cell("All", "proven_before").value == before.value + 1


def test_an_edit_of_a_case_makes_the_next_read_compute_again(scope, impact):
    before = fresh_or_stored(scope)
    CohortMembership.objects.filter(nominal=impact.members[0]).update(rag=Rag.RED)
    with time_machine.travel(datetime(2026, 4, 15, 11, 0, tzinfo=LONDON)):
        after = fresh_or_stored(scope)
    assert after.figures_as_at != before.figures_as_at
    assert after.tables == compute_pack(scope).tables != before.tables


def test_a_result_is_read_only_on_its_own_day(scope):
    fresh_or_stored(scope)
    with time_machine.travel(datetime(2026, 4, 16, 8, 0, tzinfo=LONDON)):
        assert fresh_or_stored(scope).figures_as_at.astimezone(LONDON).day == 16
    assert _stored().as_at == date(2026, 4, 16)


def test_each_scope_is_stored_apart(scope, world):
    fresh_or_stored(scope)
    fresh_or_stored(Scope(world.north, FROM, TO, cohort_type="london"))
    assert StoredImpact.objects.count() == 2


def test_stored_tables_are_suppressed_and_name_no_one(scope, impact, world):
    fresh_or_stored(scope)
    text = json.dumps(_stored().pack)
    people = [*impact.members, *impact.others, world.person]
    for word in [n for p in people for n in (p.forename, p.surname, p.pnc_id) if n]:
        assert word not in text
    threshold = reporting_config().small_number_threshold
    cells = [cell for table in _stored().pack["tables"] for _, row in table["rows"]
             for cell in row.values()]
    assert any(suppressed for _, _, _, suppressed in cells)
    for value, unit, _, suppressed in cells:
        if unit == "count" and not suppressed:
            assert value == 0 or value >= threshold


def test_every_read_of_a_stored_pack_is_logged(scope, world):
    for _ in range(2):
        impact_pack(scope, user=world.users["analyst"], through="test")
    entries = AccessLogEntry.objects.filter(through="test", action="view")
    assert entries.count() == 2
    assert {e.detail["figures_as_at"] for e in entries} == {_stored().computed_at.isoformat()}


def test_the_dashboard_says_when_the_figures_are_as_at(client, world, impact):
    client.force_login(world.users["analyst"])
    page = client.get(reverse("reporting:impact"), QUERY).content.decode()
    assert "Figures as at 15 April 2026 at 9:30am" in page and "Recalculate" in page
    board = client.get(reverse("reporting:board-pack"), QUERY).content.decode()
    assert "Figures as at 15 April 2026 at 9:30am" in board


def test_recalculate_works_the_figures_out_again(client, world, impact):
    client.force_login(world.users["analyst"])
    client.get(reverse("reporting:impact"), QUERY)
    with time_machine.travel(datetime(2026, 4, 15, 9, 41, tzinfo=LONDON)):
        response = client.post(reverse("reporting:recalculate"), QUERY)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("reporting:impact") + "?date_from=2025-01-01")
        page = client.get(response["Location"]).content.decode()
    assert "Figures as at 15 April 2026 at 9:41am" in page


def test_a_board_member_may_not_recalculate(client, impact):
    client.force_login(impact.board)
    assert client.post(reverse("reporting:recalculate"), QUERY).status_code == 404
    assert not StoredImpact.objects.exists()


def test_the_command_stores_a_partnership_figures(world, impact, capsys):
    call_command("store_impact", "--partnership", world.north.name,
                 "--from", FROM.isoformat(), "--to", TO.isoformat())
    stored = _stored()
    assert (stored.date_from, stored.date_to, stored.as_at) == (FROM, TO, date(2026, 4, 15))
    assert "Stored the impact figures" in capsys.readouterr().out
    assert AccessLogEntry.objects.filter(through__startswith="command store_impact").exists()
    with pytest.raises(CommandError):
        call_command("store_impact", "--partnership", "Nowhere")


def test_the_nightly_run_stores_each_partnership_default_figures(world, impact):
    said = [str(s) for _, s in nightly_run_finished.send(sender=None, as_at=MORNING.date())]
    assert any(s.startswith("Impact figures stored") for s in said)
    start, end = default_period(MORNING.date())
    north = StoredImpact.objects.get(partnership=world.north)
    assert (north.date_from, north.date_to, north.cohort_type) == (start, end, "")
    # The dashboard's default view now reads it without computing.
    assert fresh_or_stored(Scope(world.north, start, end)).figures_as_at == north.computed_at


def test_a_change_of_configuration_makes_the_next_read_compute_again(scope, settings):
    before = fresh_or_stored(scope)
    settings.IOM_REPORTING = {"small_number_threshold": 3}
    with time_machine.travel(datetime(2026, 4, 15, 11, 0, tzinfo=LONDON)):
        after = fresh_or_stored(scope)
    assert after.figures_as_at != before.figures_as_at
    assert after.method[-1] == "Threshold: counts below 3 are suppressed."


def test_the_digest_reads_sets_in_one_order_whatever_the_hash_seed():
    kinds = frozenset({"conviction", "arrest", "caution"})
    assert canonical({"kinds": kinds, "on": date(2026, 4, 15)}) == {
        "kinds": ["arrest", "caution", "conviction"], "on": "2026-04-15"}


def test_the_api_and_the_pdf_give_the_stored_figures_time(client, world, impact, token_for):
    fresh_or_stored(Scope(world.north, FROM, TO))
    stored = _stored()
    body = client.get("/api/impact/measures", QUERY,
                      HTTP_AUTHORIZATION=token_for("analyst")).json()
    assert datetime.fromisoformat(body["figures_as_at"]) == stored.computed_at
    client.force_login(world.users["analyst"])
    pdf = client.get(reverse("reporting:download", args=["pdf"]), QUERY).content
    assert "Figures as at 15 April 2026 at 9:30am" in pdf_text(pdf)


def test_the_nightly_run_removes_results_a_week_old(world, impact):
    with time_machine.travel(datetime(2026, 4, 7, 9, 0, tzinfo=LONDON)):
        fresh_or_stored(Scope(world.north, FROM, TO))
    nightly_run_finished.send(sender=None, as_at=MORNING.date())
    assert not StoredImpact.objects.filter(as_at=date(2026, 4, 7)).exists()
    assert StoredImpact.objects.filter(as_at=MORNING.date()).exists()
