"""Appends outside a transaction take the short path on PostgreSQL and keep the chain.

Most tests run inside a transaction, where ``record_access`` joins it; these run
with real commits, as a page view's read is recorded.
"""

import pytest
from django.db import connection

from iom.audit import services
from iom.audit.models import AccessLogEntry
from iom.audit.services import RecordRef, record_access
from iom.audit.verify import verify_access_log

pytestmark = pytest.mark.django_db(transaction=True)


def _append(n: int) -> list[AccessLogEntry]:
    return [record_access(user=None, action="view", through="test", nominal_id=7,
                          records=[RecordRef("event", i)], reason=f"reason {i}")
            for i in range(n)]


def test_appends_outside_a_transaction_verify(settings):
    settings.IOM_ACCESS_LOG_CHAINS = 3
    entries = _append(12)
    stored = {e.pk: e for e in AccessLogEntry.objects.all()}
    assert set(stored) == {e.pk for e in entries}
    for entry in entries:
        assert stored[entry.pk].hash == entry.hash and stored[entry.pk].seq == entry.seq
    report = verify_access_log()
    assert report.ok and report.entries == 12
    assert connection.get_autocommit() and not connection.in_atomic_block


def test_the_short_path_is_taken_on_postgresql(monkeypatch):
    _append(1)  # a flushed database has no chain heads: the first append makes them
    taken: list[bool] = []
    real = services._append_in_two_round_trips

    def spy(fields):
        result = real(fields)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(services, "_append_in_two_round_trips", spy)
    _append(2)
    assert taken == ([True, True] if connection.vendor == "postgresql" else [])


def test_a_failed_append_leaves_nothing_and_the_connection_usable(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the two-round-trip path is PostgreSQL's")
    _append(1)
    monkeypatch.setattr(services, "_entry_row",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        _append(1)
    monkeypatch.undo()
    _append(1)
    assert AccessLogEntry.objects.count() == 2
    assert verify_access_log().ok
