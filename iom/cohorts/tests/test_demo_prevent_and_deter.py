"""The demo shows a prevent and deter strand working (004 1.8): Westmoor, a second small
demo partnership, works West Yorkshire's policy, which runs the strand ("a range of
frustration and disruption tactics ... for adults or young people"); Northshire
works Derbyshire 2021, which does not. Westmoor's dates count back from the day the
demo is loaded, so the same holds whatever that day is."""

from __future__ import annotations

import re
from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import AccessLogEntry
from iom.cohorts.lifecycle import Step, Strand
from iom.cohorts.models import CohortMembership, Transition
from iom.people.demo import WESTMOOR_PEOPLE
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _seed(settings, tmp_path) -> None:
    settings.BASE_DIR = tmp_path
    settings.IOM_REQUIRE_2FA = False
    call_command("seed_demo", "--people", "6", stdout=StringIO())


def _check_westmoor() -> None:
    westmoor = Nominal.objects.filter(partnership__name="Westmoor")
    assert sorted(westmoor.values_list("surname", flat=True)) == sorted(
        p[1] for p in WESTMOOR_PEOPLE)
    brack = CohortMembership.objects.get(nominal__surname="Brack")
    assert (brack.policy_name, brack.cohort_type, brack.strand) == (
        "west-yorkshire", "risk_of_reoffending", Strand.PREVENT_AND_DETER)
    moved = Transition.objects.get(membership=brack, step=Step.CHANGE_STRAND)
    assert moved.detail["to_strand"] == "Prevent and deter"
    assert moved.decided_on < timezone.localdate()
    assert AccessLogEntry.objects.filter(
        through="command seed_demo", nominal_id=brack.nominal_id,
        records__0__kind="cohort_case", records__0__id=brack.pk, action="update",
        detail__to_strand="Prevent and deter").exists()
    ashby = CohortMembership.objects.get(nominal__surname="Ashby")
    assert (ashby.cohort_type, ashby.strand) == ("risk_of_harm", Strand.STANDARD)

    coordinator = _as("westmoor.coordinator")
    board = _text(coordinator.get("/cohorts/").content.decode())
    # The strand table: prevent and deter holds one person, moved into it lately.
    assert re.search(r"Prevent and deter 1 1\b", board), board
    assert "Risk of reoffending" in board and "Risk of harm" in board
    # His lead professional (Westmoor's offender manager) reads the scheme and strand on
    # his profile.
    profile = _text(_as("outsider").get(f"/people/{brack.nominal_id}/").content.decode())
    assert "West Yorkshire: Prevent and deter" in profile, profile[:3000]
    # The candidates open on West Yorkshire, the scheme Westmoor's cases run under, and
    # propose the third person for Risk of harm; those on a case are not listed.
    page = coordinator.get("/cohorts/candidates/").content.decode()
    assert re.search(r'<option value="west-yorkshire@1"[^>]*selected', page)
    listed = _text(page)
    assert "Prevent and deter" in listed  # the scheme's strands are named
    assert "Tolley" in listed and "Risk of harm" in listed
    assert "Brack" not in listed and "Ashby" not in listed

    # Northshire works Derbyshire 2021: no prevent and deter strand, no Westmoor people.
    police = _as("police.om")
    north_board = _text(police.get("/cohorts/").content.decode())
    assert "Prevent and deter" not in north_board
    north_list = _text(police.get("/cohorts/candidates/", {"policy": "west-yorkshire"})
                       .content.decode())
    assert "Tolley" not in north_list
    assert police.get(f"/people/{brack.nominal_id}/").status_code == 404


def test_westmoor_shows_prevent_and_deter_on_the_day_it_is_loaded(settings, tmp_path):
    _seed(settings, tmp_path)
    _check_westmoor()


@pytest.mark.parametrize("day", ["2027-02-28", "2029-08-15"])
def test_westmoor_holds_on_any_later_day_it_is_loaded(settings, tmp_path, day):
    with time_machine.travel(datetime.fromisoformat(f"{day}T10:00:00+00:00"), tick=False):
        _seed(settings, tmp_path)
        _check_westmoor()
