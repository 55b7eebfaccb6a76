"""A conviction records its exact OGRS 3 offence category where its Home Office code
covers more than one (92A: supply or production), with who gave it and when."""

from datetime import date

import pytest

from iom.audit.models import AccessLogEntry
from iom.core.errors import DomainError
from iom.people import services
from iom.people.models import CategorySource, OffendingEvent

pytestmark = pytest.mark.django_db


def _conviction(world, code="92A", **extra):
    return services.add_record(
        nominal=world.person, kind="event", acting_user=world.users["police"], through="test",
        fields={"kind": "conviction", "event_date": date(2025, 3, 3), "ho_code": code,
                "disposal": "community", **extra})


def _page(world, event):
    return f"/people/{world.person.pk}/convictions/{event.pk}/ogrs3-category/"


def test_the_page_offers_a_select_and_saves_with_an_audit_entry(client, world):
    event = _conviction(world)
    client.force_login(world.users["police"])
    profile = client.get(f"/people/{world.person.pk}/").content.decode()
    assert "OGRS 3 offence category not recorded" in profile
    assert _page(world, event) in profile
    page = client.get(_page(world, event)).content.decode()
    assert '<select' in page and "Drug possession or supply" in page
    answer = client.post(_page(world, event), {"ogrs3_category": "drug_possession_supply"})
    assert answer.status_code == 302
    event.refresh_from_db()
    assert event.ogrs3_category == "drug_possession_supply"
    assert event.ogrs3_category_source == CategorySource.USER
    assert event.ogrs3_category_set_by == world.users["police"]
    assert event.ogrs3_category_set_at is not None
    entry = AccessLogEntry.objects.filter(action="update", nominal_id=world.person.pk).order_by(
        "id").last()
    assert entry is not None and entry.records == [{"kind": "event", "id": event.pk}]
    assert entry.detail["changed"]["ogrs3_category"] == {"old": "",
                                                         "new": "drug_possession_supply"}
    shown = client.get(f"/people/{world.person.pk}/").content.decode()
    assert "OGRS 3 offence category: Drug possession or supply (chosen by a user" in shown


def test_a_category_outside_the_reference_is_refused_with_the_field_named(client, world):
    event = _conviction(world)
    client.force_login(world.users["police"])
    page = client.post(_page(world, event), {"ogrs3_category": "no_such"})
    assert page.status_code == 200 and "govuk-error-summary" in page.content.decode()
    with pytest.raises(DomainError) as refused:
        services.set_ogrs3_category(event=event, category="no_such",
                                    acting_user=world.users["police"], through="test")
    assert refused.value.problems[0].field == "ogrs3_category"
    assert "not an OGRS 3 offence category" in refused.value.problems[0].message


def test_a_mapped_code_has_no_page_and_refuses_another_category(client, world):
    burglary = _conviction(world, code="28A")
    client.force_login(world.users["police"])
    assert client.get(_page(world, burglary)).status_code == 404
    with pytest.raises(DomainError) as refused:
        services.set_ogrs3_category(event=burglary, category="robbery",
                                    acting_user=world.users["police"], through="test")
    assert "28A is always Burglary (domestic)" in refused.value.problems[0].message


def test_only_those_who_may_change_convictions_may_set_it(client, world):
    event = _conviction(world)
    for persona in ("analyst", "outsider", "mentor"):
        client.force_login(world.users[persona])
        assert client.get(_page(world, event)).status_code in {403, 404}, persona
        assert client.post(_page(world, event),
                           {"ogrs3_category": "drug_possession_supply"}).status_code in {403, 404}
    event.refresh_from_db()
    assert event.ogrs3_category == ""


def test_adding_a_conviction_may_carry_the_category_checked_against_its_code(world):
    event = _conviction(world, ogrs3_category="drug_import_export_production")
    assert isinstance(event, OffendingEvent)
    assert event.ogrs3_category_source == CategorySource.USER
    with pytest.raises(DomainError) as refused:
        _conviction(world, code="46", ogrs3_category="robbery")
    assert refused.value.problems[0].field == "ogrs3_category"


def test_the_api_adds_a_conviction_with_its_category(client, world, token_for):
    headers = {"HTTP_AUTHORIZATION": token_for("police")}
    url = f"/api/people/{world.person.pk}/records/event"
    body = {"fields": {"kind": "conviction", "event_date": "2025-03-03", "ho_code": "92A",
                       "disposal": "community", "ogrs3_category": "robbery_x"}}
    refused = client.post(url, body, content_type="application/json", **headers)
    assert refused.status_code == 422
    assert "robbery_x' is not an OGRS 3 offence category" in refused.content.decode()
    body["fields"]["ogrs3_category"] = "drug_possession_supply"
    added = client.post(url, body, content_type="application/json", **headers)
    assert added.status_code == 201
    assert OffendingEvent.objects.get(pk=added.json()["id"]).ogrs3_category == (
        "drug_possession_supply")


def test_the_page_names_the_offence_and_what_its_category_depends_on(client, world):
    event = _conviction(world)
    client.force_login(world.users["police"])
    page = client.get(_page(world, event)).content.decode()
    assert "Home Office code 92A (Trafficking in controlled drugs)." in page
    assert '<div class="govuk-inset-text">Covers production, import and export (one OGRS 3 ' \
           "category) and supply (another): depends on the exact offence.</div>" in page
    assert "Conviction of 3 March 2025" in page


def test_with_nothing_recorded_choosing_nothing_is_refused_and_nothing_is_logged(client, world):
    event = _conviction(world)
    client.force_login(world.users["police"])
    page = client.get(_page(world, event)).content.decode()
    assert '<option value="" selected>Choose</option>' in page
    assert "Not recorded" not in page and "to clear it" not in page
    before = AccessLogEntry.objects.filter(action="update").count()
    refused = client.post(_page(world, event), {"ogrs3_category": ""})
    shown = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in shown
    assert 'href="#id_ogrs3_category">Choose the OGRS 3 category of the exact offence' in shown
    assert AccessLogEntry.objects.filter(action="update").count() == before
    event.refresh_from_db()
    assert event.ogrs3_category == ""


def test_with_a_category_recorded_not_recorded_clears_it(client, world):
    event = _conviction(world, ogrs3_category="drug_possession_supply")
    client.force_login(world.users["police"])
    page = client.get(_page(world, event)).content.decode()
    assert '<option value="">Not recorded</option>' in page
    assert "Choose 'Not recorded' to clear it." in page
    assert client.post(_page(world, event), {"ogrs3_category": ""}).status_code == 302
    event.refresh_from_db()
    assert event.ogrs3_category == "" and event.ogrs3_category_source == ""
