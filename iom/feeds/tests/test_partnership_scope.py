"""A feed run belongs to the uploader's partnership, and touches only its people.

A row naming a person of another partnership is answered exactly as a PNC ID
nobody holds, so a file cannot learn who is known elsewhere; nothing is written
to that person and nobody outside the partnership is alerted.
"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from iom.accounts.models import ApiToken, Role, User
from iom.audit.models import AccessLogEntry
from iom.cohorts.tests.factories import case_on_cohort
from iom.core.identifiers import make_pnc_id
from iom.feeds.checking import NO_IDENTITY
from iom.feeds.models import Alert, FeedRecord, ImportRun, RunStatus
from iom.feeds.services import import_file, start_run
from iom.people.models import Nominal, OffendingEvent
from iom.people.services import create_nominal

from .conftest import row

pytestmark = pytest.mark.django_db

NORTH_PNC = "2012/0012345A"  # world.person, Northshire
NOBODY_PNC = make_pnc_id(2013, 4242)
WEST_PNC = make_pnc_id(2014, 777)
IDENTITY = {"forename": "Ann", "surname": "Other", "date_of_birth": "1991-02-03",
            "gender": "F"}


@pytest.fixture
def west_coordinator(world):
    return User.objects.create_user(
        username="coordinator_west", password="Not-used-in-tests-4821",
        organisation=world.orgs["west_police"], role=Role.COORDINATOR)


@pytest.fixture
def west_person(world):
    return create_nominal(acting_user=None, through="test", organisation=world.orgs["west_police"],
                          fields={"forename": "Wendy", "surname": "Westmoor", "gender": "F",
                                  "date_of_birth": date(1988, 5, 6), "pnc_id": WEST_PNC,
                                  "partnership": world.west})


def _import(world, path, org="west_police", **kw):
    run = start_run(file_name=path.name, organisation=world.orgs[org], acting_user=None, **kw)
    return import_file(run=run, path=path, acting_user=None, through="test")


def _reasons(run):
    return list(run.problems.values_list("row_number", "column", "reason"))


def test_a_person_of_another_partnership_is_answered_as_a_pnc_id_nobody_holds(
        world, feed_file):
    case_on_cohort(world.person, date(2025, 1, 1), lead=world.users["police"])
    theirs = _import(world, feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A",
                                           pnc_id=NORTH_PNC)]))
    nobody = _import(world, feed_file([row("arrest", "A2", "2025-06-01", ho_code="28A",
                                           pnc_id=NOBODY_PNC)], "pnc-2025-06-03.csv"))
    assert theirs.status == nobody.status == RunStatus.REJECTED
    assert _reasons(theirs) == _reasons(nobody) == [(1, "pnc_id", NO_IDENTITY)]
    assert theirs.message == nobody.message
    assert not OffendingEvent.objects.filter(nominal=world.person).exists()
    assert not Alert.objects.exists()


def test_a_row_that_would_add_a_person_held_elsewhere_stores_nothing_and_names_nobody(
        world, feed_file):
    case_on_cohort(world.person, date(2025, 1, 1), lead=world.users["police"])
    run = _import(world, feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A",
                                        pnc_id=NORTH_PNC, **IDENTITY)]))
    assert run.status == RunStatus.REJECTED
    [(number, column, reason)] = _reasons(run)
    assert (number, column) == (1, "pnc_id")
    assert "Smith" not in reason and "Northshire" not in reason and "cohort" not in reason
    assert (run.people_created, run.alerts_raised) == (0, 0)
    assert Nominal.objects.filter(pnc_id=NORTH_PNC).get() == world.person
    assert not OffendingEvent.objects.exists()
    assert not Alert.objects.exists()


def test_the_partnership_own_people_are_still_matched(world, feed_file, west_person):
    run = _import(world, feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A",
                                        pnc_id=WEST_PNC)]))
    assert (run.status, run.new, run.partnership) == (RunStatus.DONE, 1, world.west)
    assert OffendingEvent.objects.get().nominal == west_person


def test_a_source_record_of_another_partnership_is_not_moved_or_changed(
        world, feed_file, west_person):
    north = _import(world, feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A")]),
                    org="police")
    assert north.status == RunStatus.DONE
    run = _import(world, feed_file([row("arrest", "A1", "2025-06-01", ho_code="30C",
                                        pnc_id=WEST_PNC)], "pnc-2025-06-03.csv"))
    assert run.status == RunStatus.REJECTED
    assert [(n, c) for n, c, _ in _reasons(run)] == [(1, "source_record_id")]
    event = OffendingEvent.objects.get()
    assert (event.nominal, event.ho_code) == (world.person, "28A")
    assert FeedRecord.objects.get().nominal_id == world.person.pk


def test_a_full_snapshot_withdraws_only_the_partnership_own_records(
        world, feed_file, west_person):
    _import(world, feed_file([row("wanted", "W1", "2025-06-01", description="Failed to appear")]),
            org="police")
    run = _import(world, feed_file([row("arrest", "A9", "2025-06-01", ho_code="28A",
                                        pnc_id=WEST_PNC)], "pnc-2025-06-03-full.csv"))
    assert (run.status, run.withdrawn) == (RunStatus.DONE, 0)
    assert FeedRecord.objects.get(source_record_id="W1").withdrawn_by is None
    assert world.person.wanted_missing.get().end_date is None


def test_alerts_go_only_to_the_partnership_of_the_run(world, coordinator, feed_file,
                                                      west_person, west_coordinator):
    case_on_cohort(west_person, date(2025, 1, 1), lead=None)
    case_on_cohort(world.person, date(2025, 1, 1), lead=world.users["police"])
    before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    run = _import(world, feed_file([row("breach", "B1", "2025-06-01", pnc_id=WEST_PNC),
                                    row("breach", "B2", "2025-06-01", pnc_id=NORTH_PNC)]))
    assert run.status == RunStatus.REJECTED
    run = _import(world, feed_file([row("breach", "B1", "2025-06-01", pnc_id=WEST_PNC)]))
    assert run.alerts_raised == 1
    assert list(Alert.objects.values_list("recipient", flat=True)) == [west_coordinator.pk]
    # The refused file named Northshire's person: only a refusal is logged against them.
    after = AccessLogEntry.objects.filter(nominal_id=world.person.pk, pk__gt=before)
    assert list(after.values_list("action", flat=True)) == ["denied"]


def test_the_api_upload_runs_in_the_uploader_partnership(client, world, feed_file,
                                                         west_coordinator):
    case_on_cohort(world.person, date(2025, 1, 1), lead=world.users["police"])
    key = ApiToken.new_key()
    ApiToken.objects.create(user=west_coordinator, issued_by=west_coordinator, name="test",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    path = feed_file([row("breach", "B1", "2025-06-01", pnc_id=NORTH_PNC)])
    body = client.post("/api/feeds/uploads", {"file": SimpleUploadedFile(
        path.name, path.read_bytes(), "text/csv")}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["status"] == "rejected"
    assert body["problems"] == [{"row": 1, "column": "pnc_id", "reason": NO_IDENTITY}]
    assert ImportRun.objects.get().partnership == world.west
    assert not Alert.objects.exists()


def test_the_command_needs_the_partnership_when_there_are_several(world, feed_file):
    path = feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A")])
    with pytest.raises(CommandError, match="--partnership"):
        call_command("import_feed", str(path), stdout=StringIO())
    assert not ImportRun.objects.exists()


def test_the_command_imports_into_the_named_partnership(world, feed_file, west_person):
    path = feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A", pnc_id=WEST_PNC)])
    call_command("import_feed", str(path), "--partnership", "Westmoor", stdout=StringIO())
    run = ImportRun.objects.get()
    assert (run.partnership, run.organisation) == (world.west, world.orgs["west_police"])
    assert OffendingEvent.objects.get().nominal == west_person


def test_the_command_refuses_an_organisation_of_another_partnership(world, feed_file):
    path = feed_file([row("arrest", "A1", "2025-06-01", ho_code="28A")])
    with pytest.raises(CommandError, match="Westmoor"):
        call_command("import_feed", str(path), "--partnership", "Westmoor",
                     "--organisation", "Northshire Police", stdout=StringIO())
    assert not ImportRun.objects.exists()
