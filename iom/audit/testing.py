"""Test support: the runtime database role, and getting past the log's guards.

Nothing outside the test suite imports this module.

On PostgreSQL with IOM_TEST_RUNTIME_ROLE set (``.ci/run`` sets it), the test
database is made and migrated by the connecting (owner) role as usual; the
role named is then granted what ``manage.py grant_runtime_role`` grants, and
every connection the tests open switches to it with SET ROLE. The tests thus
run with the runtime role's privileges, as production does (README, "Database
roles"). Only the test harness steps back to the owner: to flush the tables
after a transactional test, and to tamper with the log in the tests that show
tampering is caught.

The access log refuses deletes in the database itself. Tests that commit for
real (browser tests) end with a flush of every table, which must get past
that guard.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.backends.utils import CursorWrapper

RUNTIME_ROLE_VARIABLE = "IOM_TEST_RUNTIME_ROLE"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_access_log_no_update BEFORE UPDATE
       ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_access_log_no_delete BEFORE DELETE
       ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: DELETE refused'); END;""",
]

_active_role: str | None = None


def runtime_role() -> str | None:
    """The runtime role the tests run as, if any (PostgreSQL only)."""
    return _active_role


def _switch(conn: BaseDatabaseWrapper) -> None:
    if _active_role and conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(f"SET ROLE {conn.ops.quote_name(_active_role)}")


def _on_connect(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    _switch(connection)


def use_runtime_role() -> None:
    """Grant IOM_TEST_RUNTIME_ROLE its rights and run every connection as it from now on."""
    global _active_role  # noqa: PLW0603 - one switch for the whole test session
    role = os.environ.get(RUNTIME_ROLE_VARIABLE, "").strip()
    if not role or connection.vendor != "postgresql":
        return
    call_command("grant_runtime_role", role=role, verbosity=0)
    _active_role = role
    connection_created.connect(_on_connect, dispatch_uid="iom-test-runtime-role")
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _switch(conn)


def stop_runtime_role() -> None:
    """Back to the owner role, so that the test database can be dropped."""
    global _active_role  # noqa: PLW0603 - one switch for the whole test session
    if _active_role is None:
        return
    connection_created.disconnect(dispatch_uid="iom-test-runtime-role")
    _active_role = None
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("RESET ROLE")


def suspend_append_only() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if _active_role:
                cursor.execute("RESET ROLE")
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_access_log_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_access_log_no_delete")


def restore_append_only() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if _active_role:
                cursor.execute("RESET ROLE")  # only the owner may set the parameter
            cursor.execute("SET session_replication_role = DEFAULT")
            _switch(connection)
        else:
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)


@contextmanager
def tampering() -> Iterator[CursorWrapper]:
    """A cursor that goes around the log's guards, as the database's owner could."""
    suspend_append_only()
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        restore_append_only()
