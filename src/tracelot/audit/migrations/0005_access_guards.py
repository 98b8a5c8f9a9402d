# Access records are kept as written, as master-data changes are: the database refuses
# UPDATE, DELETE, INSERT OR REPLACE (SQLite) and TRUNCATE (PostgreSQL). Adding the chain's
# columns in 0004 made SQLite build the master-data table again without its triggers: they
# are made again here.

import importlib

from django.db import migrations

from tracelot.core.migration_sql import append_only_guards, refuse_changes, vendor_sql

FIRST = importlib.import_module("tracelot.audit.migrations.0002_change_immutable_trigger")
TABLE = "audit_accessrecord"

CHANGES_AGAIN = [
    (create.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"), "SELECT 1")
    for create, _drop in FIRST.SQLITE
] + list(append_only_guards("audit_masterdatachange", unique=[("position",)])["sqlite"])

REFUSED = refuse_changes(
    [TABLE], message="access records are never edited or deleted", function=f"{TABLE}_refuse"
)
GUARDS = append_only_guards(TABLE, unique=[("position",)], existing=[f"{TABLE}_no_change"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_access_records_and_chained_trail")]

    operations = [
        vendor_sql(
            {
                "sqlite": CHANGES_AGAIN + list(REFUSED["sqlite"]) + list(GUARDS["sqlite"]),
                "postgresql": list(REFUSED["postgresql"]) + list(GUARDS["postgresql"]),
            }
        )
    ]
