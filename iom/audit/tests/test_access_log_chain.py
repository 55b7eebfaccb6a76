"""The access log is append-only in the database and its chains show tampering."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from iom.audit.models import AccessLogEntry
from iom.audit.services import RecordRef, record_access
from iom.audit.testing import tampering
from iom.audit.verify import verify_access_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_chain(settings):
    settings.IOM_ACCESS_LOG_CHAINS = 1


def _append(n: int) -> list[AccessLogEntry]:
    return [record_access(user=None, action="view", through="test", nominal_id=7,
                          records=[RecordRef("event", i)], reason=f"reason {i}")
            for i in range(n)]


def _triggers_off():
    """Tamper as a database owner would, going around the append-only triggers."""
    return tampering()


def test_intact_log_verifies(one_chain):
    _append(5)
    report = verify_access_log()
    assert report.ok and report.entries == 5
    call_command("verify_access_log")


def test_database_refuses_update_and_delete(one_chain):
    entry = _append(1)[0]
    for sql in ("UPDATE audit_accesslogentry SET reason = 'x' WHERE id = %s",
                "DELETE FROM audit_accesslogentry WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [entry.pk])
    assert AccessLogEntry.objects.get(pk=entry.pk).reason == "reason 0"


def test_altered_entry_is_named(one_chain):
    entries = _append(5)
    with _triggers_off() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET reason = 'nothing to see' WHERE id = %s",
                       [entries[2].pk])
    report = verify_access_log()
    assert report.breaks[0].kind == "altered"
    assert report.breaks[0].entry_id == entries[2].pk
    with pytest.raises(CommandError, match=f"entry {entries[2].pk} "):
        call_command("verify_access_log")


def test_deleted_entry_is_named(one_chain):
    entries = _append(5)
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
    first = verify_access_log().breaks[0]
    assert first.kind == "deleted"
    assert first.entry_id == entries[2].pk  # the entry that follows the gap


def test_deleting_the_newest_entries_is_caught(one_chain):
    entries = _append(4)
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[3].pk])
    first = verify_access_log().breaks[0]
    assert first.kind == "deleted" and first.seq == 4


def test_reordered_entries_are_named(one_chain):
    entries = _append(5)
    a, b = entries[1], entries[3]
    with _triggers_off() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET seq = -1 WHERE id = %s", [a.pk])
        cursor.execute("UPDATE audit_accesslogentry SET seq = %s WHERE id = %s", [a.seq, b.pk])
        cursor.execute("UPDATE audit_accesslogentry SET seq = %s WHERE id = %s", [b.seq, a.pk])
    first = verify_access_log().breaks[0]
    assert first.kind == "reordered"
    assert first.entry_id == b.pk


def test_entries_spread_over_chains_verify(settings):
    settings.IOM_ACCESS_LOG_CHAINS = 8
    _append(40)
    report = verify_access_log()
    assert report.ok and report.entries == 40


def test_a_failed_change_leaves_no_log_entry(world):
    from iom.core.errors import DomainError
    from iom.people import services

    before = AccessLogEntry.objects.count()
    with pytest.raises(DomainError):
        services.add_record(nominal=world.person, kind="event", acting_user=world.users["police"],
                            through="test", fields={"kind": "conviction",
                                                    "event_date": "2024-01-01",
                                                    "offence_date": "2024-02-01",
                                                    "ho_code": "28A", "disposal": "fine"})
    assert AccessLogEntry.objects.count() == before
    assert not world.person.events.exists()


def test_many_entries_at_once_keep_the_chain(settings):
    from iom.audit.services import record_access_for_many

    settings.IOM_ACCESS_LOG_CHAINS = 2
    _append(3)
    assert record_access_for_many(user=None, action="create", through="test",
                                  nominal_ids=list(range(50))) == 50
    _append(3)
    report = verify_access_log()
    assert report.ok and report.entries == 56
    assert AccessLogEntry.objects.filter(nominal_id=49).count() == 1
