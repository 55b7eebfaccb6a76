"""Test support: let a transactional test's database flush empty the access log.

The access log refuses deletes in the database itself. Tests that commit for
real (browser tests) end with a flush of every table, which must get past
that guard; nothing outside the test suite imports this module.
"""

from __future__ import annotations

from django.db import connection

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_access_log_no_update BEFORE UPDATE
       ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_access_log_no_delete BEFORE DELETE
       ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: DELETE refused'); END;""",
]


def suspend_append_only() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_access_log_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_access_log_no_delete")


def restore_append_only() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)
