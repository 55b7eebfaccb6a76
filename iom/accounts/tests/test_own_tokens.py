"""A person's own API tokens: issued by themselves, acting as themselves, logged so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iom.accounts.models import ApiToken
from iom.audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_an_officer_issues_their_own_token_and_its_reads_name_it(client, world):
    officer = world.users["police"]
    client.force_login(officer)
    issued = client.post(reverse("accounts:own-token-issue"), {"name": "My spreadsheet"})
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    key = issued.context["key"]
    token = ApiToken.objects.get(user=officer)
    assert (token.issued_by, token.key_hash) == (officer, ApiToken.hash_key(key))
    created = AccessLogEntry.objects.filter(action="create").order_by("-id").first()
    assert created is not None
    assert created.records == [{"kind": "api_token", "id": token.pk}]
    assert created.through == "POST /accounts/account/tokens/new/ (accounts:own-token-issue)"
    client.logout()
    read = client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert read.status_code == 200
    entry = AccessLogEntry.objects.filter(nominal_id=world.person.pk).order_by("-id").first()
    assert entry is not None
    assert (entry.user_id, entry.token_id, entry.token_issued_by) == (officer.pk, token.pk,
                                                                      "police_om")


def test_the_list_shows_only_ones_own_and_a_token_from_someone_else(client, world):
    officer, admin = world.users["police"], world.users["admin"]
    ApiToken.objects.create(user=officer, issued_by=admin, name="From the admin",
                            key_hash="a" * 64, prefix="iom_adm0")
    ApiToken.objects.create(user=world.users["probation"], issued_by=world.users["probation"],
                            name="Not theirs", key_hash="b" * 64, prefix="iom_prb0")
    client.force_login(officer)
    page = client.get(reverse("accounts:own-tokens")).content.decode()
    assert "From the admin" in page and "by admin_iom" in page
    assert "Does not work: someone else issued it" in page
    assert "Not theirs" not in page


def test_revoking_ones_own_token_and_not_anothers(client, world):
    officer, probation = world.users["police"], world.users["probation"]
    mine = ApiToken.objects.create(user=officer, issued_by=officer, name="Mine",
                                   key_hash="c" * 64, prefix="iom_mine")
    theirs = ApiToken.objects.create(user=probation, issued_by=probation, name="Theirs",
                                     key_hash="d" * 64, prefix="iom_thrs")
    client.force_login(officer)
    assert client.post(reverse("accounts:own-token-revoke", args=[theirs.pk])).status_code \
        == 404
    response = client.post(reverse("accounts:own-token-revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_a_token_needs_a_name(client, world):
    client.force_login(world.users["police"])
    response = client.post(reverse("accounts:own-token-issue"), {"name": "  "})
    assert response.status_code == 200
    assert "Enter what the token is for" in response.content.decode()
    assert not ApiToken.objects.exists()
