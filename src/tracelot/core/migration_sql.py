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
