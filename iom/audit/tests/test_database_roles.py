"""The runtime database role owns nothing, so it cannot switch the log's guard off.

These need PostgreSQL and a runtime role (IOM_TEST_RUNTIME_ROLE, which
``.ci/run`` sets): the suite then runs as that role, and the first test signs
in as it directly, as the application does in production.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from iom.audit.services import record_access
from iom.audit.testing import runtime_role, tampering

pytestmark = pytest.mark.django_db

REFUSED = [
    "ALTER TABLE audit_accesslogentry DISABLE TRIGGER ALL",
    "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_access_log_no_update_delete",
    "DROP TRIGGER audit_access_log_no_truncate ON audit_accesslogentry",
    "TRUNCATE audit_accesslogentry",
    "TRUNCATE audit_accesslogchain",
    "DROP TABLE audit_accesslogentry",
    "UPDATE audit_accesslogentry SET reason = 'x'",
    "DELETE FROM audit_accesslogentry",
    "DELETE FROM audit_accesslogchain",
    "SET session_replication_role = replica",
]


@pytest.fixture
def role():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    name = runtime_role()
    if name is None:
        pytest.skip("set IOM_TEST_RUNTIME_ROLE to a non-owner role (as .ci/run does)")
    return name


@pytest.fixture
def as_runtime_role(role):
    """A connection of its own, signed in as the runtime role (not SET ROLE)."""
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(host=params.get("host"), port=params.get("port"),
                         dbname=connection.settings_dict["NAME"], user=role,
                         autocommit=True) as conn:
        conn.execute("SET lock_timeout = '5s'")
        yield conn


@pytest.mark.parametrize("statement", REFUSED)
def test_the_runtime_role_cannot_switch_the_guard_off_or_empty_the_log(
        as_runtime_role, role, statement):
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege,
                       match=r"must be owner|permission denied"):
        as_runtime_role.execute(statement)


def test_the_runtime_role_reads_and_appends(as_runtime_role, role):
    row = as_runtime_role.execute(
        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    assert row == (role, False)
    as_runtime_role.execute("SELECT count(*) FROM audit_accesslogentry")
    as_runtime_role.execute("UPDATE audit_accesslogchain SET last_seq = last_seq WHERE id = 0")
    # Granting itself more is let through with a warning, and grants nothing.
    as_runtime_role.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_accesslogentry TO PUBLIC")
    rights = as_runtime_role.execute(
        "SELECT has_table_privilege('audit_accesslogentry', 'UPDATE'), "
        "has_table_privilege('audit_accesslogentry', 'DELETE'), "
        "has_table_privilege('audit_accesslogentry', 'TRUNCATE'), "
        "has_table_privilege('audit_accesslogentry', 'INSERT')").fetchone()
    assert rights == (False, False, False, True)


def test_the_suite_runs_as_the_runtime_role(role):
    record_access(user=None, action="view", through="test")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == role


def test_grant_refuses_a_role_that_could_switch_the_guard_off(role):
    with tampering(), pytest.raises(CommandError, match="superuser"):
        call_command("grant_runtime_role", role="postgres")
    with pytest.raises(CommandError, match="plain lower-case role name"):
        call_command("grant_runtime_role", role='x"; DROP TABLE y; --')
    with tampering(), pytest.raises(CommandError, match="There is no role"):
        call_command("grant_runtime_role", role="no_such_role_here")
