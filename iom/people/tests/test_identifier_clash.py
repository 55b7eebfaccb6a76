"""Recording a person whose PNC ID or CRN is already held.

PNC IDs and CRNs are unique across the system. A clash with a person the user may
see says so; a clash with a person they may not see gets one message, the same for
every such clash, that names no one and does not say the ID is held; the attempt is
logged against the person who holds it.
"""

from __future__ import annotations

import pytest

from iom.accounts.models import ApiToken
from iom.audit.models import AccessLogEntry
from iom.people.models import Nominal
from iom.people.services import create_nominal
from iom.people.validation import HIDDEN_CLASH

pytestmark = pytest.mark.django_db

PNC = "2012/0012345A"  # world.person, Northshire
CRN = "N123456"


@pytest.fixture
def held(world):
    world.person.crn = CRN
    world.person.save(update_fields=["crn"])
    return world.person


def _form(**extra):
    return {"forename": "Ann", "surname": "Other", "date_of_birth": "1991-02-03",
            "gender": "F", "ethnicity": "NS", **extra}


def _last() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(("field", "value"), [("pnc_id", PNC), ("crn", CRN)])
def test_an_outsider_is_told_only_that_the_id_cannot_be_used(client, world, held, field,
                                                             value):
    client.force_login(world.users["outsider"])
    last = _last()
    page = client.post("/people/new/", _form(**{field: value})).content.decode()
    assert HIDDEN_CLASH[field] in page
    assert "already recorded" not in page and "Smith" not in page
    assert Nominal.objects.filter(**{field: value}).get() == held
    [entry] = AccessLogEntry.objects.filter(pk__gt=last)
    assert (entry.action, entry.nominal_id, entry.user_id) == ("denied", held.pk,
                                                                world.users["outsider"].pk)
    assert entry.detail["field"] == field


def test_the_service_refuses_a_hidden_clash_without_naming_the_id_or_its_holder(
        world, held):
    from iom.core.errors import DomainError

    outsider = world.users["outsider"]
    with pytest.raises(DomainError) as refused:
        create_nominal(acting_user=outsider, through="test",
                       fields={**_form(pnc_id=PNC), "partnership": world.west})
    assert [p.message for p in refused.value.problems] == [HIDDEN_CLASH["pnc_id"]]
    assert PNC not in HIDDEN_CLASH["pnc_id"]


def test_someone_who_may_see_the_holder_is_told_it_is_already_recorded(client, world, held):
    client.force_login(world.users["police"])
    page = client.post("/people/new/", _form(pnc_id=PNC)).content.decode()
    assert f"{PNC} is already recorded for another person" in page
    assert HIDDEN_CLASH["pnc_id"] not in page


def test_the_api_gives_the_same_answer(client, world, held):
    key = ApiToken.new_key()
    outsider = world.users["outsider"]
    ApiToken.objects.create(user=outsider, issued_by=outsider, name="test",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    response = client.post("/api/people", {**_form(crn=CRN), "date_of_birth": "1991-02-03"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "crn",
                                                   "message": HIDDEN_CLASH["crn"]}]
    assert AccessLogEntry.objects.filter(nominal_id=held.pk, action="denied").exists()
