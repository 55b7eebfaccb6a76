from datetime import date

import pytest

from iom.audit.models import AccessLogEntry
from iom.people import services

pytestmark = pytest.mark.django_db


def _add_history(world):
    person = world.person
    services.add_record(nominal=person, kind="event", acting_user=world.users["police"],
                        through="test", fields={"kind": "conviction",
                                                "event_date": date(2024, 5, 1),
                                                "offence_date": date(2024, 3, 1),
                                                "ho_code": "28A", "disposal": "custody"})
    services.add_record(nominal=person, kind="intelligence", acting_user=world.users["police"],
                        through="test", fields={"recorded_date": date(2025, 1, 5),
                                                "grading_system": "5x5x5", "source_grade": "B",
                                                "intel_grade": "2", "handling_code": "1",
                                                "crime_type": "acquisitive",
                                                "summary": "Seen selling stolen tools"})
    services.add_record(nominal=person, kind="protection", acting_user=world.users["probation"],
                        through="test", fields={"kind": "mappa", "mappa_level": 2,
                                                "mappa_category": 3,
                                                "start_date": date(2024, 1, 1)})


def test_police_see_timeline_with_provenance(client, world):
    _add_history(world)
    client.force_login(world.users["police"])
    page = client.get(f"/people/{world.person.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Burglary" in text and "HO code 28A" in text
    assert "Intelligence graded B21" in text
    assert "MAPPA level 2" in text
    assert "from Northshire Police" in text


def test_housing_officer_does_not_see_intelligence_or_mappa(client, world):
    _add_history(world)
    client.force_login(world.users["housing"])
    page = client.get(f"/people/{world.person.pk}/", follow=True)
    # Not on the housing officer's caseload: a reason is asked first.
    assert "not on your caseload" in page.content.decode()
    client.post(f"/people/{world.person.pk}/reason/", {"purpose": "other",
                "detail": "Housing panel this afternoon"})
    text = client.get(f"/people/{world.person.pk}/").content.decode()
    assert "Burglary" in text
    assert "Seen selling stolen tools" not in text
    assert "MAPPA level 2" not in text
    entry = AccessLogEntry.objects.filter(nominal_id=world.person.pk, action="view").first()
    assert entry.reason == "Housing panel this afternoon"


def test_mentor_sees_consented_person_only(client, world):
    client.force_login(world.users["mentor"])
    assert client.get(f"/people/{world.unconsented.pk}/").status_code == 404
    assert client.get(f"/people/{world.person.pk}/").status_code == 404
    assert client.get("/people/999999/").status_code == 404
    page = client.get(f"/people/{world.consented.pk}/", follow=True)
    assert page.status_code == 200


def test_search_tolerates_typos_and_aliases(client, world):
    services.add_record(nominal=world.person, kind="alias", acting_user=world.users["police"],
                        through="test", fields={"forename": "Johnny", "surname": "Smyth"})
    client.force_login(world.users["police"])
    for query in ("Jonathon Smith", "jonathan smiht", "Johnny Smyth", "2012/0012345A",
                  "12/12345A", "21/03/1990"):
        text = client.get("/people/", {"q": query}).content.decode()
        assert "SMITH" in text, query
    assert "SMITH" not in client.get("/people/", {"q": "Zebedee Quux"}).content.decode()


def test_outsider_cannot_find_or_open(client, world):
    client.force_login(world.users["outsider"])
    assert "SMITH" not in client.get("/people/", {"q": "Smith"}).content.decode()
    assert client.get(f"/people/{world.person.pk}/").status_code == 404
