"""Set-valued SQL parameters: a list of ids or keys passed as one parameter, whatever its size.

`pk__in=[...]` with a thousand values makes a thousand placeholders (and SQLite caps them);
a JSON array (SQLite) or an array (PostgreSQL) is one parameter the planner reads as a table.
"""

import json
from collections.abc import Collection
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL


def value_table(values: Collection[Any], *, text: bool = False) -> tuple[str, Any]:
    """A table expression with one column `id` holding `values`, and its one parameter."""
    if connection.vendor == "postgresql":
        if text:
            return "(SELECT unnest(%s::text[]) AS id)", list(values)
        # Ids as the array's literal text: the driver's list adapter costs more than the
        # query for ten thousand ids (measured).
        return "(SELECT unnest(%s::bigint[]) AS id)", "{" + ",".join(
            map(str, map(int, values))
        ) + "}"
    return "(SELECT value AS id FROM json_each(%s))", json.dumps(list(values))


def among(values: Collection[int]) -> tuple[str, Any]:
    """`column {among}` true for the ids in `values`, and its one parameter: `= ANY(array)` on
    PostgreSQL, which its planner serves from an index (a join to unnest(array) was planned as
    a scan of the whole table, measured), and `IN (json_each)` on SQLite."""
    table, param = value_table(values)
    if connection.vendor == "postgresql":
        return "= ANY(%s::bigint[])", param
    return f"IN (SELECT id FROM {table} AS v)", param  # noqa: S608 - no values in the text


def values_in(values: Collection[Any], *, text: bool = False) -> RawSQL:
    """For `field__in=values_in(...)` in the ORM."""
    table, param = value_table(values, text=text)
    return RawSQL(f"SELECT id FROM {table} AS v", [param])  # noqa: S608, S611 - bound
