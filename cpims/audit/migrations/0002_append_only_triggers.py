"""The database itself refuses UPDATE and DELETE on audit entries.

On SQLite only UPDATE is refused: Django's `flush` (used between tests) deletes rows, and the
hash chain already detects a deleted entry. PostgreSQL refuses both (its flush uses TRUNCATE).
Someone with owner rights can still drop the trigger; the hash chain (`verify_audit`) is what
detects that kind of tampering.
"""

from django.db import migrations

SQL = {
    "postgresql": (
        """
        CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit_auditevent is append-only'; END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
        """,
        """
        DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;
        DROP FUNCTION IF EXISTS audit_event_append_only();
        """,
    ),
    "sqlite": (
        """
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END;
        """,
        """
        DROP TRIGGER IF EXISTS audit_event_no_update;
        """,
    ),
}


def _run(index):
    def run(apps, schema_editor):
        statements = SQL.get(schema_editor.connection.vendor)
        if statements:
            if schema_editor.connection.vendor == "sqlite":
                for statement in statements[index].split("END;"):
                    if statement.strip():
                        schema_editor.execute(statement + (" END;" if "BEGIN" in statement else ""))
            else:
                schema_editor.execute(statements[index])

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(_run(0), _run(1))]
