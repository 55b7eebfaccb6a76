"""The access context's fields (token, issuer, request id) are covered by the hash."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from iom.audit.chain import entry_hash
from iom.audit.models import AccessLogEntry
from iom.audit.services import record_access
from iom.audit.testing import restore_append_only, suspend_append_only
from iom.audit.verify import verify_access_log
from iom.core.context import AccessContext, acting

pytestmark = pytest.mark.django_db

THROUGH_TOKEN = AccessContext(channel="api", through="API GET /api/people/7 (read_profile)",
                              user_id=3, token_id=11, token_name="Case system (iom_abcd...)",
                              token_issued_by_id=2, token_issued_by="admin_iom")


@pytest.fixture
def one_chain(settings):
    settings.IOM_ACCESS_LOG_CHAINS = 1


def _tamper(sql: str, params: list[Any]) -> None:
    suspend_append_only()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        restore_append_only()


def test_entries_carry_the_context_and_verify(one_chain):
    with acting(THROUGH_TOKEN):
        entry = record_access(user=None, action="view", through="test", nominal_id=7)
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert (stored.token_id, stored.token_issued_by) == (11, "admin_iom")
    assert stored.request_id == THROUGH_TOKEN.request_id
    assert verify_access_log().ok


@pytest.mark.parametrize(("column", "value"), [
    ("token_issued_by", "police_om"), ("token_issued_by_id", None), ("token_id", 12),
    ("token_name", "Something else"), ("request_id", "0" * 32)])
def test_changing_who_acted_through_what_breaks_the_chain(one_chain, column, value):
    with acting(THROUGH_TOKEN):
        entry = record_access(user=None, action="view", through="test", nominal_id=7)
    _tamper(f"UPDATE audit_accesslogentry SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, entry.pk])
    report = verify_access_log()
    assert [(b.kind, b.entry_id) for b in report.breaks] == [("altered", entry.pk)]


def test_entries_without_a_context_hash_as_before(one_chain):
    """Entries made before these fields were kept (all null) keep their hashes."""
    entry = record_access(user=None, action="view", through="test", nominal_id=7)
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert stored.token_id is None and stored.request_id is None
    assert stored.hash == entry_hash(
        prev_hash=stored.prev_hash, at=stored.at, user_id=None, username="system",
        organisation="", action="view", through="test", nominal_id=7, records=[],
        reason="", detail={})
