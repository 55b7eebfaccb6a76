"""Create the chain heads and make the access log append-only in the database.

On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE of log rows, so
that not even a direct SQL session through the application's account can
rewrite history; the same is done with SQLite triggers for the embedded demo.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_access_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_access_log_append_only();
CREATE TRIGGER audit_access_log_no_truncate
    BEFORE TRUNCATE ON audit_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_access_log_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_access_log_no_truncate ON audit_accesslogentry;
DROP TRIGGER IF EXISTS audit_access_log_no_update_delete ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_access_log_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_access_log_no_update BEFORE UPDATE ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER audit_access_log_no_delete BEFORE DELETE ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: DELETE refused'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_access_log_no_update;",
    "DROP TRIGGER IF EXISTS audit_access_log_no_delete;",
]


def forward(apps, schema_editor):
    chain = apps.get_model("audit", "AccessLogChain")
    chain.objects.bulk_create([chain(id=i) for i in range(32)], ignore_conflicts=True)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
