# Beyond refusing UPDATE and DELETE: refuse INSERT OR REPLACE (SQLite) and TRUNCATE
# (PostgreSQL), and fire the triggers even under session_replication_role = replica.

from django.db import migrations

from tracelot.core.migration_sql import append_only_guards, vendor_sql

TABLES = ["accounts_signature", "accounts_signaturefailure"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_signatures")]

    operations = [
        vendor_sql(append_only_guards(table, unique=[], existing=[f"{table}_no_change"]))
        for table in TABLES
    ]
