"""The routes the policies lacked (issue 17): the electronic monitoring acquisitive
crime project into Derbyshire 2021 Fixed (001 s4.1, s11), and adult prisoners serving
under 12 months into Derbyshire 2015 (000 "The IOM Cohort")."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iom.cohorts.candidates import candidates_for
from iom.cohorts.candidates.facts import sentence_is_under, sentence_under_expr
from iom.cohorts.tests.factories import (
    AS_AT,
    Scores,
    criterion,
    event,
    found,
    person,
    store_scores,
    suggested,
)
from iom.core.errors import DomainError
from iom.people import services
from iom.people.models import CustodyPeriod, OrderLicence

pytestmark = pytest.mark.django_db


def _tagged_licence(world, someone, *, tag: bool = True, start=date(2025, 3, 1), end=None):
    OrderLicence.objects.create(nominal=someone, kind="licence", start_date=start, end_date=end,
                                acquisitive_crime_tag=tag,
                                originating_organisation=world.orgs["probation"])


def _released_burglar(world, *, ogrs: int, tag: bool = True, end=None):
    someone = person(world)
    event(world, someone, date(2025, 1, 10), "28E")  # the conviction before release
    _tagged_licence(world, someone, tag=tag, end=end)
    return someone


def test_em_acquisitive_licence_is_fixed_whatever_the_ogrs(world):
    """001 s4.1: Fixed will "include all offenders released to an address in Derbyshire
    who are part of the Electronic Monitoring Serious Acquisitive Crime Project"; the
    referral form: "An OGRS of 50+ and an NS CSS of 1500+ will be indicators"."""
    low = _released_burglar(world, ogrs=30)
    plain = _released_burglar(world, ogrs=30, tag=False)
    store_scores(world, {low: Scores(ogrs3=30), plain: Scores(ogrs3=30)})
    listed = candidates_for(world.users["probation"], "derbyshire-2021", AS_AT)
    assert suggested(listed, low) == "fixed"
    met, why = criterion(found(listed, low), "On licence with the electronic monitoring")
    assert met and "acquisitive crime" in why
    assert criterion(found(listed, low), "OGRS 3 2-year score 50 or more")[0] is False
    assert suggested(listed, plain) is None  # a licence without the condition: OGRS gates


def test_em_condition_counts_only_while_the_licence_is_current(world):
    """001 s11: "location monitored while on licence for up to 12 months"."""
    ended = _released_burglar(world, ogrs=30, end=date(2025, 5, 1))
    store_scores(world, {ended: Scores(ogrs3=30)})
    listed = candidates_for(world.users["probation"], "derbyshire-2021", AS_AT)
    assert suggested(listed, ended) is None


def test_em_route_keeps_the_exclusions(world):
    """001 s4: the exclusions (MAPPA 2-3 and the rest) apply to every cohort."""
    from iom.cohorts.tests.factories import mappa

    someone = _released_burglar(world, ogrs=30)
    mappa(world, someone, 2)
    store_scores(world, {someone: Scores(ogrs3=30)})
    candidate = found(candidates_for(world.users["probation"], "derbyshire-2021", AS_AT),
                      someone)
    assert candidate is None or candidate.exclusions


def _prisoner(world, *, days: int | None, start=date(2025, 4, 1), release=None,
              born=date(1990, 3, 21), kind="sentence"):
    someone = person(world, born=born)
    event(world, someone, start, "46")  # convicted the day they were sentenced
    CustodyPeriod.objects.create(nominal=someone, custody_type=kind, start_date=start,
                                 actual_release_date=release, sentence_length_days=days,
                                 originating_organisation=world.orgs["prison"])
    return someone


def test_adult_prisoner_serving_under_12_months_is_on_the_2015_list(world):
    """000 "The IOM Cohort": "Adult prisoners serving under 12 months sentence"."""
    short = _prisoner(world, days=182)
    year = _prisoner(world, days=365)  # 12 months from 1 April 2025 is 365 days
    unknown = _prisoner(world, days=None)
    released = _prisoner(world, days=60, start=date(2025, 3, 1), release=date(2025, 4, 1))
    store_scores(world, {p: Scores(ogrs3=40) for p in (short, year, unknown, released)})
    listed = candidates_for(world.users["probation"], "derbyshire-2015", AS_AT)
    assert suggested(listed, short) == "short_sentence"
    assert criterion(found(listed, short), "Serving a custodial sentence of under 12") == (
        True, "Serving a sentence of under 12 months")
    for other in (year, unknown, released):
        assert suggested(listed, other) is None, other


def test_a_youth_serving_a_short_sentence_is_not_on_the_adult_route(world):
    """000: "Adult prisoners"; young people go to the youth strand's rules."""
    young = _prisoner(world, days=120, born=date(2009, 1, 1))
    store_scores(world, {young: Scores(ogrs3=40)})
    listed = candidates_for(world.users["probation"], "derbyshire-2015", AS_AT)
    assert suggested(listed, young) is None


def test_an_ogrs_tier_comes_before_the_short_sentence_route(world):
    both = _prisoner(world, days=100)
    store_scores(world, {both: Scores(ogrs3=92)})
    listed = candidates_for(world.users["probation"], "derbyshire-2015", AS_AT)
    assert suggested(listed, both) == "tier_1"


def test_sentence_length_is_for_a_sentence_and_whole_days(world):
    someone = person(world)
    for fields, field in (
        ({"custody_type": "remand", "start_date": "2025-01-01",
          "sentence_length_days": "30"}, "sentence_length_days"),
        ({"custody_type": "sentence", "start_date": "2025-01-01",
          "sentence_length_days": "six months"}, "sentence_length_days"),
        ({"custody_type": "sentence", "start_date": "2025-01-01",
          "sentence_length_days": "0"}, "sentence_length_days"),
    ):
        with pytest.raises(DomainError) as refused:
            services.add_record(nominal=someone, kind="custody", acting_user=None,
                                organisation=world.orgs["prison"], through="test",
                                fields=fields)
        assert [p.field for p in refused.value.problems] == [field]
    assert not CustodyPeriod.objects.filter(nominal=someone).exists()


def test_the_tag_condition_is_for_a_licence_only(world):
    someone = person(world)
    with pytest.raises(DomainError) as refused:
        services.add_record(nominal=someone, kind="order", acting_user=None,
                            organisation=world.orgs["probation"], through="test",
                            fields={"kind": "community_order", "start_date": "2025-01-01",
                                    "acquisitive_crime_tag": "on"})
    assert [p.field for p in refused.value.problems] == ["acquisitive_crime_tag"]
    record = services.add_record(nominal=someone, kind="order", acting_user=None,
                                 organisation=world.orgs["probation"], through="test",
                                 fields={"kind": "licence", "start_date": "2025-01-01",
                                         "acquisitive_crime_tag": "on"})
    assert record.acquisitive_crime_tag  # type: ignore[attr-defined]


@pytest.mark.parametrize(("start", "days", "under"), [
    (date(2025, 4, 1), 364, True), (date(2025, 4, 1), 365, False),
    (date(2027, 4, 1), 365, True),  # 12 months from 1 April 2027 takes in 29 February
    (date(2028, 2, 29), 365, False),
])
def test_under_12_months_counts_calendar_months(start, days, under):
    assert sentence_is_under(start, days, 12) is under


@given(st.lists(st.tuples(st.dates(date(1990, 1, 1), date(2030, 12, 31)),
                          st.one_of(st.none(), st.integers(1, 800)),
                          st.sampled_from([1, 6, 12, 24])), min_size=1, max_size=40))
def test_the_polars_sentence_test_agrees_with_the_pure_one(rows):
    table = pl.DataFrame({"start_date": [r[0] for r in rows],
                          "sentence_length_days": [r[1] for r in rows]},
                         schema={"start_date": pl.Date, "sentence_length_days": pl.Int64})
    for months in {r[2] for r in rows}:
        got = table.select(sentence_under_expr(months).alias("x"))["x"].to_list()
        assert got == [sentence_is_under(r[0], r[1], months) for r in rows]


def test_writes_to_orders_and_custody_still_mark_whose_facts_changed(world):
    """ADR 0006: the triggers must outlive people 0003 (SQLite rebuilds a table to add
    a column with a default, dropping its triggers; cohorts 0006 puts them back). A
    fresh test database may run people 0003 before cohorts 0004, so this holds the
    end state; a database migrated to cohorts 0004 first loses them without 0006."""
    from iom.cohorts.models import FactsChange

    someone = person(world)
    FactsChange.objects.all().delete()
    _tagged_licence(world, someone)
    assert FactsChange.objects.filter(nominal_id=someone.pk).exists()
    FactsChange.objects.all().delete()
    _prisoner_spell = CustodyPeriod.objects.create(
        nominal=someone, custody_type="sentence", start_date=date(2025, 1, 1),
        sentence_length_days=90, originating_organisation=world.orgs["prison"])
    assert _prisoner_spell.pk and FactsChange.objects.filter(nominal_id=someone.pk).exists()


def test_the_api_records_both_and_the_profile_shows_them(client, world, token_for):
    auth = {"HTTP_AUTHORIZATION": token_for("probation"),
            "HTTP_X_ACCESS_REASON": "Case management: new referral or allocation"}
    url = f"/api/people/{world.person.pk}/records"
    response = client.post(f"{url}/order", {"fields": {
        "kind": "licence", "start_date": "2025-03-01", "acquisitive_crime_tag": True}},
        content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    response = client.post(f"{url}/custody", {"fields": {
        "custody_type": "remand", "start_date": "2025-01-01", "sentence_length_days": 90}},
        content_type="application/json", **auth)
    assert response.status_code == 422 and "sentence_length_days" in response.content.decode()
    response = client.post(f"{url}/custody", {"fields": {
        "custody_type": "sentence", "start_date": "2025-01-01", "sentence_length_days": 90}},
        content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    lines = [line for item in client.get(f"/api/people/{world.person.pk}", **auth)
             .json()["timeline"] for line in item["lines"]]
    assert "Electronic monitoring (acquisitive crime) condition" in lines
    assert "Sentence length: 90 days" in lines
