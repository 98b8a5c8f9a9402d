# Beyond refusing UPDATE and DELETE: refuse INSERT OR REPLACE (SQLite) and TRUNCATE
# (PostgreSQL), and fire the triggers even under session_replication_role = replica.

from django.db import migrations

from tracelot.core.migration_sql import append_only_guards, vendor_sql

GUARDS = append_only_guards("audit_masterdatachange", unique=[], existing=["audit_change_no_change"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_change_immutable_trigger")]

    operations = [vendor_sql(GUARDS)]
