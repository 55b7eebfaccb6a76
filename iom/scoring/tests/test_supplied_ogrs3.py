"""An OGRS 3 score supplied by probation (001: "OGRS will be calculated by probation
services"), kept with its date and source, and the configured rule choosing between it
and the computed score (docs/scores.md, "Supplied OGRS 3")."""

from __future__ import annotations

from datetime import date
from itertools import product

import polars as pl
import pytest
import time_machine

from iom.audit.models import AccessLogEntry
from iom.cohorts.candidates import candidates_for
from iom.cohorts.tests.factories import AS_AT, event, found, person
from iom.core.errors import DomainError
from iom.people import services as people
from iom.scoring import services
from iom.scoring.models import SuppliedOgrs3
from iom.scoring.supplied import COMPUTED, SUPPLIED, Supplied, Use, choose, with_chosen_ogrs3

pytestmark = pytest.mark.django_db

CONVICTED = date(2025, 3, 3)


@pytest.mark.parametrize(("use", "assessed", "computed", "expected"), [
    (Use.SUPPLIED_IF_CURRENT, date(2025, 3, 10), 40, (SUPPLIED, 62)),
    (Use.SUPPLIED_IF_CURRENT, CONVICTED, 40, (SUPPLIED, 62)),  # the conviction's own day
    (Use.SUPPLIED_IF_CURRENT, date(2025, 3, 2), 40, (COMPUTED, 40)),  # older: computed
    (Use.SUPPLIED_IF_CURRENT, date(2025, 3, 2), None, ("", None)),
    (Use.SUPPLIED_FIRST, date(2024, 1, 1), 40, (SUPPLIED, 62)),
    (Use.COMPUTED_FIRST, date(2025, 3, 10), 40, (COMPUTED, 40)),
    (Use.COMPUTED_FIRST, date(2025, 3, 10), None, (SUPPLIED, 62)),
])
def test_the_rule_for_one_person(use, assessed, computed, expected):
    chosen = choose(computed, Supplied(62, assessed, "OASys"), CONVICTED, use)
    assert (chosen.source, chosen.percent_2y) == expected
    assert chosen.why


def test_the_frame_twin_gives_the_rule_for_one_person():
    days = [None, date(2025, 3, 2), CONVICTED, date(2025, 3, 10)]
    cases = list(product([None, 40, 77], [None, 62, 80], days[1:], days))
    frame = pl.DataFrame(
        [(i, c, "high" if c else None, s, a, k) for i, (c, s, a, k) in enumerate(cases)],
        schema={"person_id": pl.Int64, "score_ogrs3": pl.Float64, "band_ogrs3": pl.String,
                "supplied_percent": pl.Int64, "supplied_on": pl.Date,
                "latest_conviction": pl.Date}, orient="row")
    for use in Use:
        rows = with_chosen_ogrs3(frame, use).iter_rows(named=True)
        for row, (computed, supplied, assessed, convicted) in zip(rows, cases, strict=True):
            given = Supplied(supplied, assessed, "x") if supplied and assessed else None
            pure = choose(computed, given, convicted, use)
            assert (row["ogrs3_source"] or "", row["score_ogrs3"]) == (pure.source,
                                                                     pure.percent_2y), row
            if pure.source == SUPPLIED:
                assert row["band_ogrs3"] == pure.band


def test_recording_checks_each_field_and_writes_its_entry(world):
    with pytest.raises(DomainError) as refused:
        services.record_supplied_ogrs3(nominal=world.person, percent_2y=120,
                                       assessed_on=date(2999, 1, 1), source=" ",
                                       acting_user=world.users["probation"], through="test")
    assert {p.field for p in refused.value.problems} == {"percent_2y", "assessed_on", "source"}
    supplied = services.record_supplied_ogrs3(
        nominal=world.person, percent_2y=62, assessed_on=date(2025, 3, 10), source="OASys",
        acting_user=world.users["probation"], through="test")
    entry = AccessLogEntry.objects.filter(action="create", nominal_id=world.person.pk).order_by(
        "id").last()
    assert entry is not None
    assert entry.records == [{"kind": "supplied_ogrs3", "id": supplied.pk}]
    assert entry.detail["new"]["percent_2y"] == 62


def _supplier(world):
    """A 92A conviction with no recorded category: OGRS 3 cannot be worked out here."""
    someone = person(world, born=date(2002, 5, 1))
    for i in range(1, 8):
        event(world, someone, date(2018 + i // 2, 1 + (i % 2) * 5, 10), "46")
    event(world, someone, CONVICTED, "92A")
    return someone


@time_machine.travel(date(2025, 6, 2), tick=False)
def test_a_supplied_score_newer_than_the_conviction_reaches_free(world):
    """001 s4.3 Free: possession with intent to supply "provided that their OGRS exceeds
    50%"; 001: "OGRS will be calculated by probation services"."""
    someone = _supplier(world)
    assert found(candidates_for(world.users["probation"], "derbyshire-2021", AS_AT),
                 someone) is None
    services.record_supplied_ogrs3(nominal=someone, percent_2y=62, assessed_on=date(2025, 3, 10),
                                   source="OASys", acting_user=world.users["probation"],
                                   through="test")
    candidate = found(candidates_for(world.users["probation"], "derbyshire-2021", AS_AT),
                      someone)
    assert candidate is not None and candidate.suggested_cohort_type == ("free", "Free")
    ogrs = next(s for s in candidate.scores if s.name == "ogrs3")
    assert ogrs.value == 62
    assert ogrs.label.endswith("(supplied by probation, OASys, assessed 10 March 2025)")
    met = next(c for c in candidate.criteria if c.label.startswith("OGRS 3 2-year score above"))
    assert met.met and "supplied by probation (OASys, assessed 10 March 2025)" in met.why


@time_machine.travel(date(2025, 6, 2), tick=False)
def test_a_supplied_score_older_than_the_conviction_is_not_used(world):
    someone = _supplier(world)
    SuppliedOgrs3.objects.create(nominal=someone, percent_2y=62, assessed_on=date(2025, 1, 5),
                                 source="OASys", originating_organisation=world.orgs["probation"])
    assert found(candidates_for(world.users["probation"], "derbyshire-2021", AS_AT),
                 someone) is None


@time_machine.travel(date(2025, 6, 2), tick=False)
def test_the_scores_page_says_which_one_is_used_and_records_one(client, world):
    nominal = world.person
    event(world, nominal, CONVICTED, "92A")
    people.set_ogrs3_category(event=nominal.events.get(), category="drug_possession_supply",
                              acting_user=world.users["police"], through="test")
    client.force_login(world.users["police"])
    page = client.get(f"/scores/people/{nominal.pk}/").content.decode()
    assert "OGRS 3 used for decisions" in page and "(computed here)" in page
    url = f"/scores/people/{nominal.pk}/supplied-ogrs3/"
    assert url in page
    form = client.get(url).content.decode()
    # One pair of brackets to a label: the percent is in the hint.
    assert "OGRS 3 1-year score (optional)" in form and "(%)" not in form
    assert form.count("A whole percent from 1 to 99") == 2
    refused = client.post(url, {"percent_2y": "0", "assessed_on_0": "10",
                                "assessed_on_1": "3", "assessed_on_2": "2025", "source": "OASys"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    saved = client.post(url, {"percent_2y": "62", "assessed_on_0": "10", "assessed_on_1": "3",
                              "assessed_on_2": "2025", "source": "OASys"})
    assert saved.status_code == 302
    page = client.get(f"/scores/people/{nominal.pk}/").content.decode()
    assert "62% (supplied by probation)" in page and "OASys" in page


@time_machine.travel(date(2025, 6, 2), tick=False)
def test_the_api_records_one_and_says_which_is_used(client, world, token_for):
    headers = {"HTTP_AUTHORIZATION": token_for("police")}
    url = f"/api/scores/people/{world.person.pk}/supplied-ogrs3"
    bad = client.post(url, {"percent_2y": 100, "assessed_on": "2025-03-10", "source": "OASys"},
                      content_type="application/json", **headers)
    assert bad.status_code == 422 and "percent_2y" in bad.content.decode()
    made = client.post(url, {"percent_2y": 62, "assessed_on": "2025-03-10", "source": "OASys"},
                       content_type="application/json", **headers)
    assert made.status_code == 201, made.content
    scores = client.get(f"/api/scores/people/{world.person.pk}", **headers).json()
    assert scores["ogrs3_in_use"]["source"] == "supplied"
    assert scores["ogrs3_in_use"]["percent_2y"] == 62
