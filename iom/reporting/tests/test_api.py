"""The impact API: the same suppressed tables as the pages, for those allowed."""

from __future__ import annotations

import pytest

from .conftest import QUERY

pytestmark = pytest.mark.django_db


def _token(impact, persona_user):
    from iom.accounts.models import ApiToken

    key = ApiToken.new_key()
    ApiToken.objects.create(user=persona_user, issued_by=persona_user, name="t",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return f"Bearer {key}"


def test_the_analyst_reads_the_measures(client, world, impact, token_for):
    response = client.get("/api/impact/measures", QUERY,
                          HTTP_AUTHORIZATION=token_for("analyst"))
    assert response.status_code == 200
    body = response.json()
    tables = {t["key"]: t for t in body["tables"]}
    all_row = next(r for r in tables["before_after"]["rows"] if r["group"] == "All")
    cells = {c["measure"]: c for c in all_row["cells"]}
    assert cells["people"]["value"] == 8
    assert cells["proven_after"] == {"measure": "proven_after", "value": None, "unit": "count",
                                     "suppressed": True}
    assert "more likely to be caught" in body["caveat"]
    for person in impact.members:
        assert person.surname not in response.content.decode()


def test_a_board_member_reads_the_pack_but_not_the_measures(client, world, impact):
    auth = _token(impact, impact.board)
    assert client.get("/api/impact/measures", QUERY, HTTP_AUTHORIZATION=auth).status_code == 404
    assert client.get("/api/impact/board-pack", QUERY, HTTP_AUTHORIZATION=auth).status_code == 200


def test_case_workers_are_refused(client, world, impact, token_for):
    auth = token_for("police")
    for path in ("/api/impact/measures", "/api/impact/board-pack"):
        assert client.get(path, QUERY, HTTP_AUTHORIZATION=auth).status_code == 404


def test_a_backwards_period_names_the_field(client, world, impact, token_for):
    response = client.get("/api/impact/measures",
                          {"date_from": "2026-01-01", "date_to": "2025-01-01"},
                          HTTP_AUTHORIZATION=token_for("analyst"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "date_to"


def test_an_unknown_policy_is_refused_clearly(client, world, impact, token_for):
    response = client.get("/api/impact/measures", {**QUERY, "policy": "nowhere"},
                          HTTP_AUTHORIZATION=token_for("analyst"))
    assert response.status_code == 422
    assert "nowhere" in response.json()["error"]["message"]


def test_another_partnerships_district_gives_no_one(client, world, impact, token_for):
    from iom.accounts.models import District

    elsewhere = District.objects.create(partnership=world.west, name="Westmoor Town")
    response = client.get("/api/impact/measures", {**QUERY, "district_id": elsewhere.pk},
                          HTTP_AUTHORIZATION=token_for("analyst"))
    assert response.status_code == 200
    tables = {t["key"]: t for t in response.json()["tables"]}
    assert tables["before_after"]["rows"][-1]["cells"][0]["value"] == 0
