# The database itself refuses UPDATE and DELETE on ledger events, so not even raw SQL or
# another program can rewrite history. Ships with its reverse.

from django.db import migrations

from tracelot.core.migration_sql import vendor_sql

SQLITE = [
    (
        """CREATE TRIGGER ledger_event_no_update BEFORE UPDATE ON ledger_event
        BEGIN SELECT RAISE(ABORT, 'ledger events are immutable'); END""",
        "DROP TRIGGER IF EXISTS ledger_event_no_update",
    ),
    (
        """CREATE TRIGGER ledger_event_no_delete BEFORE DELETE ON ledger_event
        BEGIN SELECT RAISE(ABORT, 'ledger events are never deleted'); END""",
        "DROP TRIGGER IF EXISTS ledger_event_no_delete",
    ),
]

POSTGRESQL = [
    (
        """CREATE FUNCTION ledger_event_refuse_change() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'ledger events are immutable'; END; $$ LANGUAGE plpgsql""",
        "DROP FUNCTION IF EXISTS ledger_event_refuse_change()",
    ),
    (
        """CREATE TRIGGER ledger_event_no_change BEFORE UPDATE OR DELETE ON ledger_event
        FOR EACH ROW EXECUTE FUNCTION ledger_event_refuse_change()""",
        "DROP TRIGGER IF EXISTS ledger_event_no_change ON ledger_event",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [vendor_sql({"sqlite": SQLITE, "postgresql": POSTGRESQL})]
