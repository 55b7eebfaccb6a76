"""A matching run over the database: the three outcomes per wearer, the run's record,
its access-log entries and the police action on a placed result."""

from __future__ import annotations

from datetime import timedelta

import pytest

from iom.audit.models import AccessLogEntry
from iom.core.errors import DomainError
from iom.monitoring import services
from iom.monitoring.matching import ALGORITHM_VERSION
from iom.monitoring.models import MatchResult
from iom.monitoring.tests.factories import LAT, LON, WHEN, csv_of, fitted, trail

pytestmark = pytest.mark.django_db
@pytest.fixture
def run(world):
    fitted(world, world.person, "BUD-001")
    fitted(world, world.consented, "BUD-002")
    fitted(world, world.unconsented, "BUD-003")
    rows = (trail("BUD-001", 40, range(-20, 80)) + trail("BUD-002", 900, range(-20, 80))
            + trail("BUD-003", 900, [*range(-20, 20), *range(40, 80)]))
    officer = world.users["police"]
    assert services.import_fixes(data=csv_of(rows), file_name="f.csv", acting_user=officer,
                                 through="test").accepted
    crimes = csv_of([("CR/1", "Burglary", WHEN.isoformat(),
                      (WHEN + timedelta(hours=1)).isoformat(), LAT, LON)],
                    "crime_ref,crime_type,from_time,to_time,latitude,longitude")
    batch = services.import_crimes(data=crimes, file_name="c.csv", acting_user=officer,
                                   through="test")
    return services.run_matching(batch=batch, radius_m=100, pad_minutes=0, max_gap_minutes=10,
                                 acting_user=officer, through="test")


def test_each_wearer_is_placed_eliminated_or_not_eliminated(world, run):
    outcomes = {r.fitting.nominal_id: r.outcome for r in run.results.all()}
    assert outcomes == {world.person.pk: "placed", world.consented.pk: "eliminated",
                        world.unconsented.pk: "not_eliminated"}
    placed = run.results.get(outcome="placed")
    assert placed.nearest_m == pytest.approx(40, abs=1e-6) and placed.fixes == 61
    assert (placed.first_time, placed.last_time) == (WHEN, WHEN + timedelta(hours=1))
    assert run.algorithm_version == ALGORITHM_VERSION and run.radius_m == 100


def test_the_run_is_logged_as_a_read_of_each_wearer(world, run):
    read = AccessLogEntry.objects.filter(reason=f"Crime matching run {run.pk}")
    assert set(read.values_list("nominal_id", flat=True)) == {
        world.person.pk, world.consented.pk, world.unconsented.pk}


def test_the_police_record_what_was_done_with_a_placed_result(world, run):
    officer = world.users["police"]
    placed = run.results.get(outcome="placed")
    with pytest.raises(DomainError, match="why"):
        services.record_result_action(result=placed, action="discounted", reason=" ",
                                      acting_user=officer, through="test")
    services.record_result_action(result=placed, action="passed", reason="",
                                  acting_user=officer, through="test")
    assert MatchResult.objects.get(pk=placed.pk).action == "passed"
    with pytest.raises(DomainError, match="Only a placed"):
        services.record_result_action(result=run.results.get(outcome="eliminated"),
                                      action="passed", reason="", acting_user=officer,
                                      through="test")
