"""Who is acting is known once per request and written into every access-log entry:
the channel, the user, the API token and who issued it, for pages, the API and
commands alike (iom/core/context.py)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from iom.accounts import services
from iom.accounts.models import ApiToken, Role, User
from iom.audit.models import AccessLogEntry
from iom.audit.verify import verify_access_log
from iom.core.errors import DomainError

pytestmark = pytest.mark.django_db

REASON = "Checking the bail address before the panel"


def _newest(**filters: object) -> AccessLogEntry:
    entry = AccessLogEntry.objects.filter(**filters).order_by("-id").first()
    assert entry is not None
    return entry


@pytest.fixture
def service_token(world) -> tuple[User, ApiToken, str]:
    """A service account for the police case system, with a token the admin issued."""
    service = User.objects.create(username="police_case_system",
                                  organisation=world.orgs["police"],
                                  role=Role.OFFENDER_MANAGER, is_service_account=True)
    token, key = services.issue_api_token(acting_user=world.users["admin"], through="test",
                                          user=service, name="Police case system")
    return service, token, f"Bearer {key}"


def test_finding_4_an_administrator_cannot_act_as_the_offender_manager(client, world):
    """The administrator can neither mint a token "for" the offender manager nor use
    one made around the rule: the API refuses it before anything is read."""
    admin, officer = world.users["admin"], world.users["police"]
    with pytest.raises(DomainError, match="is a person, not a service account"):
        services.issue_api_token(acting_user=admin, through="test", user=officer,
                                 name="Offender manager's case system")
    key = ApiToken.new_key()
    ApiToken.objects.create(user=officer, issued_by=admin, name="Made before the rule",
                            key_hash=ApiToken.hash_key(key), prefix=key[:8])
    before = AccessLogEntry.objects.count()
    response = client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert AccessLogEntry.objects.count() == before


def test_a_service_accounts_reads_name_the_token_and_who_issued_it(client, world,
                                                                   service_token):
    service, token, auth = service_token
    response = client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=auth,
                          HTTP_X_ACCESS_REASON=REASON)
    assert response.status_code == 200
    entry = _newest(nominal_id=world.person.pk)
    assert entry.through == f"API GET /api/people/{world.person.pk} (read_profile)"
    assert (entry.user_id, entry.username) == (service.pk, "police_case_system")
    assert entry.reason == REASON  # the X-Access-Reason header, read once at the edge
    assert (entry.token_id, entry.token_name) == (token.pk, f"Police case system "
                                                             f"({token.prefix}...)")
    assert (entry.token_issued_by_id, entry.token_issued_by) == (world.users["admin"].pk,
                                                                 "admin_iom")
    assert re.fullmatch(r"[0-9a-f]{32}", entry.request_id or "")
    assert verify_access_log().ok

    # The data-protection officer reads it in plain words.
    client.force_login(world.users["dpo"])
    page = client.get(reverse("governance:audit-person", args=[world.person.pk]))
    assert (f"Through the API token Police case system ({token.prefix}...), issued by "
            "admin_iom") in page.content.decode()


def test_a_users_own_token_is_named_as_issued_by_them(client, world, token_for):
    client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=token_for("police"))
    entry = _newest(nominal_id=world.person.pk)
    officer = world.users["police"]
    assert (entry.user_id, entry.token_issued_by_id) == (officer.pk, officer.pk)
    assert entry.token_id == ApiToken.objects.get(user=officer).pk


def test_each_api_call_is_its_own_request(client, world, token_for):
    auth = token_for("police")
    for _ in range(2):
        client.get(f"/api/people/{world.person.pk}", HTTP_AUTHORIZATION=auth)
    first, second = AccessLogEntry.objects.filter(nominal_id=world.person.pk,
                                                  through__contains="read_profile")
    assert first.request_id != second.request_id


def test_a_pages_entries_name_the_page_and_no_token(client, world):
    client.force_login(world.users["police"])
    assert client.get(reverse("people:profile", args=[world.person.pk])).status_code == 200
    entry = _newest(nominal_id=world.person.pk)
    assert entry.through == f"GET /people/{world.person.pk}/ (people:profile)"
    assert entry.user_id == world.users["police"].pk
    assert (entry.token_id, entry.token_name, entry.token_issued_by) == (None, None, None)
    assert entry.request_id


def test_a_commands_entries_name_the_command_and_share_one_request(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", "--people", "4", stdout=StringIO())
    entries = AccessLogEntry.objects.filter(through="command seed_demo")
    assert entries.count() > 4
    assert set(entries.values_list("request_id", flat=True)) != {None}
    assert entries.values("request_id").distinct().count() == 1
    assert not entries.exclude(token_id=None).exists()


def test_one_way_to_read_the_channel_and_the_reason():
    """No API module names its own channel or reads the reason header itself."""
    root = Path(__file__).resolve().parent.parent / "iom"
    own_channel = re.compile(r"def _through\b|f\"API \{request")
    header = re.compile(r"headers\.get\(\s*[\"']X-Access-Reason")
    found = [str(path.relative_to(root)) for path in root.rglob("*.py")
             if "tests" not in path.parts
             and path.relative_to(root).as_posix() not in {"core/context.py", "api/auth.py"}
             and (own_channel.search(text := path.read_text()) or header.search(text))]
    assert found == []
