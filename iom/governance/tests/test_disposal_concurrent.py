"""Disposal on PostgreSQL while others read: what should stay stays (000 s8)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from iom.audit.verify import verify_access_log
from iom.governance import retention
from iom.governance.tests.test_retention import _old_person
from iom.people.models import Nominal, OffendingEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_disposal_with_concurrent_readers_loses_nothing_that_should_stay(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    gone = [_old_person(world, f"Gone{i}", date(2015, 1, 1)) for i in range(5)]
    staying = [_old_person(world, f"Stays{i}", date(2025, 1, 1)) for i in range(5)]
    kept_events = OffendingEvent.objects.filter(nominal__in=staying).count()
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                seen.append(OffendingEvent.objects.filter(nominal__in=[
                    p.pk for p in staying]).count())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for person in gone:
            retention.dispose_of(person, group=3, last_came_to_notice=date(2015, 1, 1),
                                 rule="test", acting_user=None, through="test")
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors
    assert seen and set(seen) == {kept_events}  # every read saw every record that stays
    assert not Nominal.objects.filter(pk__in=[p.pk for p in gone]).exists()
    assert Nominal.objects.filter(pk__in=[p.pk for p in staying]).count() == 5
    assert verify_access_log().ok
