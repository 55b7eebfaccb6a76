"""Give the runtime database role what the application needs, and no more.

Run by the migration role (the owner of the tables) after every ``migrate``:

    DATABASE_URL=postgres://iom_owner@db/iom manage.py migrate
    DATABASE_URL=postgres://iom_owner@db/iom manage.py grant_runtime_role --role iom_app

The runtime role then reads and writes the application's tables, but only
reads and appends to the access log (and moves its chain heads on). As it
owns nothing, it cannot alter a table (so cannot switch the log's triggers
off), truncate or drop one (README, "Database roles"; docs/adr/0008).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
LOG_TABLE = "audit_accesslogentry"
HEAD_TABLE = "audit_accesslogchain"
# Tables the runtime role may read and append to, but not change.
APPEND_ONLY = {LOG_TABLE: "SELECT, INSERT", HEAD_TABLE: "SELECT, INSERT, UPDATE",
               "django_migrations": "SELECT"}


class Command(BaseCommand):
    help = ("Grant the runtime role read and write on the application's tables but only "
            "read and append on the access log; run as the tables' owner after migrate.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True,
                            help="the runtime role the application connects as, e.g. iom_app")

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if connection.vendor != "postgresql":
            raise CommandError("grant_runtime_role is for PostgreSQL: SQLite has no roles")
        if not ROLE_NAME.match(role):
            raise CommandError(f"--role must be a plain lower-case role name, not {role!r}")
        with transaction.atomic(), connection.cursor() as cursor:
            _refuse_a_role_that_owns(cursor, role)
            for statement in _grants(cursor, role):
                cursor.execute(statement)
        if options["verbosity"]:
            self.stdout.write(f"Granted the runtime role {role}: read and write on the "
                              f"application's tables, read and append only on the access log.")


def _refuse_a_role_that_owns(cursor: Any, role: str) -> None:
    """A runtime role that is, or acts as, an owner could switch the log's guard off."""
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    found = cursor.fetchone()
    if found is None:
        raise CommandError(f"There is no role {role}: create it first "
                           f"(CREATE ROLE {role} LOGIN PASSWORD '...')")
    if found[0] or found[1]:
        raise CommandError(f"The role {role} is a superuser (or bypasses row security): "
                           "the runtime role must be an ordinary role")
    cursor.execute(
        "SELECT pg_has_role(%s, t.tableowner, 'USAGE'), pg_has_role(%s, n.nspowner, 'USAGE'), "
        "pg_has_role(%s, d.datdba, 'USAGE') "
        "FROM pg_tables t JOIN pg_namespace n ON n.nspname = t.schemaname, pg_database d "
        "WHERE t.tablename = %s AND t.schemaname = current_schema() "
        "AND d.datname = current_database()", [role, role, role, LOG_TABLE])
    owns = cursor.fetchone()
    if owns is None:
        raise CommandError(f"There is no table {LOG_TABLE} here: run migrate first")
    for acts_as_owner, what in zip(owns, ("the tables", "the schema", "the database"),
                                   strict=True):
        if acts_as_owner:
            raise CommandError(f"The role {role} owns {what} (or is a member of its owner): "
                               "the runtime role must own nothing, or it could switch the "
                               "access log's triggers off")


def _grants(cursor: Any, role: str) -> list[str]:
    """The statements, from nothing: whatever the role had before is revoked first."""
    cursor.execute("SELECT current_schema(), current_database()")
    schema, database = (connection.ops.quote_name(n) for n in cursor.fetchone())
    who = connection.ops.quote_name(role)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {who}",
        f"GRANT USAGE ON SCHEMA {schema} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
    ]
    for table, rights in APPEND_ONLY.items():
        statements += [f"REVOKE ALL ON {schema}.{table} FROM {who}",
                       f"GRANT {rights} ON {schema}.{table} TO {who}"]
    return statements
