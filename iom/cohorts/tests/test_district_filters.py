"""District filters on the cohort dashboard, the candidates and the compliance pages, and
their API operations (003: "the day-to-day management ... must be agreed at a district
level and remain the responsibility of the district IOM Inspectors"; 004 1.22: "every
Chief Inspector should be fully aware of who the PPOs are within their areas")."""

from __future__ import annotations

from typing import Any

import pytest

from iom.accounts.models import District
from iom.cohorts.tests.factories import AS_AT, Scores, event, on_cohort, person, store_scores
from iom.people.models import Nominal

pytestmark = pytest.mark.django_db
DAY = {"as_at_0": str(AS_AT.day), "as_at_1": str(AS_AT.month), "as_at_2": str(AS_AT.year)}


def _in(nominal: Nominal, district: District | None) -> Nominal:
    Nominal.objects.filter(pk=nominal.pk).update(district=district)
    return nominal


def _county(world: Any) -> District:
    return District.objects.create(partnership=world.north, name="Northshire County")


def _two_candidates(world: Any) -> tuple[Nominal, Nominal, District]:
    county = _county(world)
    city_person, county_person = person(world, name="Citywide"), person(world, name="Countyman")
    for someone in (city_person, county_person):
        event(world, someone, AS_AT.replace(month=4, day=1), "46")
    store_scores(world, {city_person: Scores(ogrs3=80), county_person: Scores(ogrs3=80)})
    return _in(city_person, world.district), _in(county_person, county), county


def test_candidates_page_and_api_keep_to_the_district(client, world, token_for):
    city_person, _, county = _two_candidates(world)
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/", {**DAY, "policy": "london",
                                               "district": county.pk}).content.decode()
    assert 'name="district"' in page and "Northshire County" in page
    assert "Countyman" in page and "Citywide" not in page
    body = client.get("/api/cohorts/candidates", {"policy": "london",
                                                  "as_at": AS_AT.isoformat(),
                                                  "district": world.district.pk},
                      HTTP_AUTHORIZATION=token_for("police")).json()
    assert [c["person_id"] for c in body["candidates"]] == [city_person.pk]
    assert body["total"] == 1


def test_another_partnerships_district_is_refused_by_name(client, world, token_for):
    elsewhere = District.objects.create(partnership=world.west, name="Westmoor Town")
    response = client.get("/api/cohorts/candidates", {"policy": "london",
                                                      "district": elsewhere.pk},
                          HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 422
    assert "district" in response.content.decode()
    response = client.get("/api/cohorts/dashboard", {"district": elsewhere.pk},
                          HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 422
    client.force_login(world.users["police"])
    page = client.get("/cohorts/candidates/", {**DAY, "policy": "london",
                                               "district": elsewhere.pk})
    assert page.status_code == 200 and "Westmoor Town" not in page.content.decode()
    assert "Select a valid choice" in page.content.decode()


def test_dashboard_page_and_api_keep_to_the_district(client, world, token_for):
    county = _county(world)
    on_cohort(world)  # Jonathan Smith, of no district yet
    _in(world.person, county)
    client.force_login(world.users["police"])
    page = client.get("/cohorts/", {"district": county.pk}).content.decode()
    assert f'<option value="{county.pk}" selected>' in page
    assert "SMITH, Jonathan" in page
    page = client.get("/cohorts/", {"district": world.district.pk}).content.decode()
    assert "Nobody is on the cohort with these filters" in page
    for district, count in ((county.pk, 1), (world.district.pk, 0)):
        body = client.get("/api/cohorts/dashboard", {"district": district},
                          HTTP_AUTHORIZATION=token_for("police")).json()
        assert sum(r["count"] for r in body["by_strand"]) == count


def test_compliance_page_and_api_choose_a_district_from_a_list(client, world, token_for):
    county = _county(world)
    client.force_login(world.users["police"])
    page = client.get("/casework/compliance/", {"district": "Northshire County"})
    text = page.content.decode()
    assert '<select class="govuk-select" name="district"' in text
    assert '<option value="Northshire County" selected>' in text
    items = client.get("/api/casework/compliance", {"district": county.name,
                                                    "rule": "tag_audit"},
                       HTTP_AUTHORIZATION=token_for("police")).json()
    assert items and {i["district"] for i in items} == {"Northshire County"}
    response = client.get("/api/casework/compliance", {"district": "Westmoor Town"},
                          HTTP_AUTHORIZATION=token_for("police"))
    assert response.status_code == 422
