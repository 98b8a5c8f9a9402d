"""Indexes that serve lot search by the start of a code or supplier lot, in any case.

Search compares UPPER(code) with a range (lots.selectors.lot_code_prefix): on PostgreSQL in
the "C" collation, so the range means byte order whatever the database's collation, and the
index holds the same expression so the planner uses it; SQLite compares bytes already.
"""

from django.db import migrations

from tracelot.core.migration_sql import vendor_sql

SQL = {
    "sqlite": [
        (
            "CREATE INDEX lots_lot_code_upper_idx ON lots_lot (UPPER(code))",
            "DROP INDEX lots_lot_code_upper_idx",
        ),
        (
            "CREATE INDEX lots_lot_supplier_lot_upper_idx ON lots_lot (UPPER(supplier_lot))",
            "DROP INDEX lots_lot_supplier_lot_upper_idx",
        ),
    ],
    "postgresql": [
        (
            'CREATE INDEX lots_lot_code_upper_idx ON lots_lot ((UPPER(code) COLLATE "C"))',
            "DROP INDEX lots_lot_code_upper_idx",
        ),
        (
            "CREATE INDEX lots_lot_supplier_lot_upper_idx "
            'ON lots_lot ((UPPER(supplier_lot) COLLATE "C"))',
            "DROP INDEX lots_lot_supplier_lot_upper_idx",
        ),
    ],
}


class Migration(migrations.Migration):
    dependencies = [("lots", "0004_code_unique_per_site")]

    operations = [vendor_sql(SQL)]
