# The database itself refuses UPDATE and DELETE on master-data changes, as it does on ledger
# events: a reason once given cannot be rewritten, even with raw SQL. Ships with its reverse.

from django.db import migrations

from tracelot.core.migration_sql import vendor_sql

SQLITE = [
    (
        """CREATE TRIGGER audit_change_no_update BEFORE UPDATE ON audit_masterdatachange
        BEGIN SELECT RAISE(ABORT, 'master-data changes are never edited'); END""",
        "DROP TRIGGER IF EXISTS audit_change_no_update",
    ),
    (
        """CREATE TRIGGER audit_change_no_delete BEFORE DELETE ON audit_masterdatachange
        BEGIN SELECT RAISE(ABORT, 'master-data changes are never deleted'); END""",
        "DROP TRIGGER IF EXISTS audit_change_no_delete",
    ),
]

POSTGRESQL = [
    (
        """CREATE FUNCTION audit_change_refuse() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'master-data changes are never edited or deleted'; END;
        $$ LANGUAGE plpgsql""",
        "DROP FUNCTION IF EXISTS audit_change_refuse()",
    ),
    (
        """CREATE TRIGGER audit_change_no_change BEFORE UPDATE OR DELETE
        ON audit_masterdatachange FOR EACH ROW EXECUTE FUNCTION audit_change_refuse()""",
        "DROP TRIGGER IF EXISTS audit_change_no_change ON audit_masterdatachange",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_master_data_changes")]

    operations = [vendor_sql({"sqlite": SQLITE, "postgresql": POSTGRESQL})]
