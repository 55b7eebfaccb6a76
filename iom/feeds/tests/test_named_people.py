"""A small feed file looks up only the people it names, with the same outcome as
looking up the whole partnership (iom/feeds/services.py, ``named_in``).

Each file below is imported twice, on two databases alike: once as uploads are
(only the PNC IDs the file names are read), once with every file taken as large
(the partnership's people all read). The runs must end the same: the same status,
counts, problems, people added and records stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from iom.core.identifiers import make_pnc_id
from iom.feeds import services
from iom.feeds.checking import HELD_ELSEWHERE, NO_IDENTITY
from iom.feeds.models import RunStatus
from iom.feeds.services import import_file, named_in, start_run
from iom.people.models import Nominal, OffendingEvent
from iom.people.services import create_nominal

from .conftest import row

pytestmark = pytest.mark.django_db

NORTH_PNC = "2012/0012345A"  # world.person, Northshire
WEST_PNC = make_pnc_id(2014, 777)
NEW_PNC = make_pnc_id(2015, 31)
IDENTITY = {"forename": "Ann", "surname": "Other", "date_of_birth": "1991-02-03",
            "gender": "F"}


@pytest.fixture
def west_person(world):
    return create_nominal(acting_user=None, through="test", organisation=world.orgs["west_police"],
                          fields={"forename": "Wendy", "surname": "Westmoor", "gender": "F",
                                  "date_of_birth": date(1988, 5, 6), "pnc_id": WEST_PNC,
                                  "partnership": world.west})


@pytest.fixture(autouse=True)
def others(world):
    """More of the partnership's people, whom none of the files names."""
    return [create_nominal(acting_user=None, through="test", organisation=world.orgs["police"],
                           fields={"forename": "Other", "surname": f"Person {n}", "gender": "M",
                                   "date_of_birth": date(1980, 1, n),
                                   "pnc_id": make_pnc_id(2016, n),
                                   "partnership": world.north}) for n in range(1, 4)]


@pytest.fixture
def looked_up(monkeypatch):
    """How many people each import read, of its partnership and of the others."""
    seen: list[tuple[int, int]] = []
    known, elsewhere = services.known_people, services.held_elsewhere

    def known_people(partnership_id, named=None):
        found = known(partnership_id, named)
        seen.append((found.height, -1))
        return found

    def held_elsewhere(partnership_id, named=None):
        found = elsewhere(partnership_id, named)
        seen.append((-1, found.height))
        return found

    monkeypatch.setattr(services, "known_people", known_people)
    monkeypatch.setattr(services, "held_elsewhere", held_elsewhere)
    return seen


def _import(world, path: Path):
    run = start_run(file_name=path.name, organisation=world.orgs["police"], acting_user=None)
    run = import_file(run=run, path=path, acting_user=None, through="test")
    return (run.status, run.new, run.changed, run.unchanged, run.people_created,
            sorted(run.problems.values_list("row_number", "column", "reason")),
            sorted(OffendingEvent.objects.values_list("nominal__pnc_id", "ho_code")),
            sorted(Nominal.objects.exclude(pnc_id=None).values_list("pnc_id", "partnership")))


FILES = {
    "own person": [row("arrest", "A1", "2025-06-01", ho_code="28A", pnc_id=NORTH_PNC)],
    "a new person": [row("arrest", "A2", "2025-06-01", ho_code="28A", pnc_id=NEW_PNC,
                         **IDENTITY)],
    "held elsewhere": [row("arrest", "A3", "2025-06-01", ho_code="28A", pnc_id=WEST_PNC,
                           **IDENTITY)],
    "held elsewhere, no identity": [row("arrest", "A4", "2025-06-01", ho_code="28A",
                                        pnc_id=WEST_PNC)],
    "mixed": [row("arrest", "A5", "2025-06-01", ho_code="28A", pnc_id=NORTH_PNC),
              row("arrest", "A6", "2025-06-01", ho_code="28A", pnc_id=NEW_PNC, **IDENTITY),
              row("arrest", "A7", "2025-06-01", ho_code="28A", pnc_id=""),
              row("arrest", "A8", "2025-06-01", ho_code="28A", pnc_id="not a PNC ID")],
}


def _both_ways(world, path: Path, monkeypatch, looked_up) -> list[tuple[Any, ...]]:
    """The file imported as uploads are, then (the first undone) as if it were large."""
    outcomes = []
    for whole in (False, True):
        looked_up.clear()
        with transaction.atomic(), monkeypatch.context() as patch:
            if whole:
                patch.setattr(services, "NAMED_BYTES", -1)
            before = Nominal.objects.filter(partnership=world.person.partnership).exclude(
                pnc_id=None).count()
            outcomes.append((_import(world, path), before, list(looked_up)))
            transaction.set_rollback(True)
    return outcomes


@pytest.mark.parametrize("name", list(FILES))
def test_a_file_ends_the_same_whether_only_its_people_are_read(
        world, feed_file, west_person, looked_up, monkeypatch, name):
    (named, before, reads), (whole, _, whole_reads) = _both_ways(
        world, feed_file(FILES[name]), monkeypatch, looked_up)
    assert named == whole
    assert named[0] == EXPECTED[name][0] and named[5][:1] == EXPECTED[name][1]
    # Read whole: every person of the partnership and the one held elsewhere. Read as
    # uploads are: only those the file names.
    assert whole_reads == [(-1, 1), (before, -1)]
    in_file = {r["pnc_id"] for r in FILES[name]}
    assert reads == [(-1, int(WEST_PNC in in_file)), (int(NORTH_PNC in in_file), -1)]
    assert before >= 4  # so reading only the named is fewer


# (status, the first problem); the rest must only agree both ways.
EXPECTED = {
    "own person": (RunStatus.DONE, []),
    "a new person": (RunStatus.DONE, []),
    "held elsewhere": (RunStatus.REJECTED, [(1, "pnc_id", HELD_ELSEWHERE)]),
    "held elsewhere, no identity": (RunStatus.REJECTED, [(1, "pnc_id", NO_IDENTITY)]),
    "mixed": (RunStatus.REJECTED, [(3, "pnc_id", "is missing")]),
}


def test_only_a_small_file_naming_few_people_is_read_first(feed_file, monkeypatch):
    path = feed_file([row("arrest", "A1", "2025-06-01", pnc_id=NORTH_PNC),
                      row("arrest", "A2", "2025-06-01", pnc_id=WEST_PNC),
                      row("arrest", "A3", "2025-06-01", pnc_id="")])
    assert named_in(path) == sorted([NORTH_PNC, WEST_PNC])
    monkeypatch.setattr(services, "NAMED_MOST", 1)
    assert named_in(path) is None  # names too many: the partnership is read whole
    monkeypatch.setattr(services, "NAMED_MOST", 5000)
    monkeypatch.setattr(services, "NAMED_BYTES", path.stat().st_size - 1)
    assert named_in(path) is None  # too large
    broken = path.with_name("pnc-2025-06-04.csv")
    broken.write_text("record_type,pnc_id\n", encoding="utf-8")
    assert named_in(broken) is None  # columns missing: the check says so
