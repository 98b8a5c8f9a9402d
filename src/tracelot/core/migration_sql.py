"""Raw SQL in migrations that differs per database, shipped with its reverse."""

from collections.abc import Sequence
from typing import Any

from django.db import migrations

# Per vendor ("sqlite", "postgresql"): (create, drop) pairs, run in order and undone backwards.
VendorSql = dict[str, Sequence[tuple[str, str]]]


def vendor_sql(statements: VendorSql) -> migrations.RunPython:
    """The migration operation that runs this database's statements (none for others)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for create, _drop in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for _create, drop in reversed(statements.get(schema_editor.connection.vendor, [])):
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)


def refuse_changes(tables: Sequence[str], *, message: str, function: str) -> VendorSql:
    """UPDATE and DELETE refused on `tables` with `message`: a trigger per table and action
    (SQLite), or one trigger per table calling one `function` (PostgreSQL)."""
    sqlite = [
        (
            f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
            f"DROP TRIGGER IF EXISTS {table}_no_{action}",
        )
        for table in tables
        for action in ("update", "delete")
    ]
    postgresql = [
        (
            f"""CREATE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{message}'; END;
        $$ LANGUAGE plpgsql""",
            f"DROP FUNCTION IF EXISTS {function}()",
        ),
        *[
            (
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()",
                f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            )
            for table in tables
        ],
    ]
    return {"sqlite": sqlite, "postgresql": postgresql}


def append_only_guards(
    table: str, unique: Sequence[Sequence[str]], existing: Sequence[str] = ()
) -> VendorSql:
    """What else keeps an append-only table as written, beyond its UPDATE and DELETE triggers.

    SQLite: `INSERT OR REPLACE` deletes the row it conflicts with without firing the delete
    trigger, so an insert that would meet an existing row (by id or by any of the `unique`
    column sets) is refused before it happens. PostgreSQL: TRUNCATE is refused (a test run's
    own flush sets `tracelot.allow_truncate`, see tests/conftest.py), and the `existing`
    triggers and this one fire ALWAYS, so `session_replication_role = replica` does not turn
    them off.
    """
    # Table and column names from our own migrations, never input.
    matches = [" AND ".join(f"{c} = NEW.{c}" for c in columns) for columns in [("id",), *unique]]
    conflicts = " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE {m})" for m in matches)  # noqa: S608
    sqlite = [
        (
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN {conflicts} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: a row is never replaced'); END",
            f"DROP TRIGGER IF EXISTS {table}_no_replace",
        )
    ]
    postgresql = [
        (
            f"""CREATE FUNCTION {table}_refuse_truncate() RETURNS trigger AS $$
            BEGIN
                IF current_setting('tracelot.allow_truncate', true) = 'on' THEN RETURN NULL; END IF;
                RAISE EXCEPTION USING
                    MESSAGE = TG_TABLE_NAME || ': TRUNCATE refused, the table is append-only';
            END; $$ LANGUAGE plpgsql""",
            f"DROP FUNCTION IF EXISTS {table}_refuse_truncate()",
        ),
        (
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_truncate()",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ),
        *[
            (
                f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger}",
                f"ALTER TABLE {table} ENABLE TRIGGER {trigger}",
            )
            for trigger in (*existing, f"{table}_no_truncate")
        ],
    ]
    return {"sqlite": sqlite, "postgresql": postgresql}
