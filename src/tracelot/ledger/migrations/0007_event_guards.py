# Beyond refusing UPDATE and DELETE: refuse INSERT OR REPLACE (SQLite) and TRUNCATE
# (PostgreSQL), and fire the triggers even under session_replication_role = replica.
# Adding the columns of 0006 made SQLite build the table again, without its triggers:
# they are made again here.

import importlib

from django.db import migrations

from tracelot.core.migration_sql import append_only_guards, vendor_sql

FIRST = importlib.import_module("tracelot.ledger.migrations.0002_event_immutable_trigger")

GUARDS = append_only_guards(
    "ledger_event",
    unique=[("site_id", "key"), ("site_id", "chain_position"), ("reverses_id",)],
    existing=["ledger_event_no_change"],
)
SQLITE = [
    (create.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"), "SELECT 1")
    for create, _drop in FIRST.SQLITE
] + list(GUARDS["sqlite"])


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_event_user_seal_key")]

    operations = [vendor_sql({"sqlite": SQLITE, "postgresql": GUARDS["postgresql"]})]
