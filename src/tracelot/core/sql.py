"""SQL the ORM does not write for us.

Set-valued parameters: `pk__in=[...]` with a thousand values makes a thousand placeholders
(and SQLite caps them); a JSON array (SQLite) or an array (PostgreSQL) is one parameter the
planner reads as a table. Bulk rows: `rows_insert` writes plain tuples, without a model
instance per row (bulk_create's cost at tens of thousands of rows).
"""

import json
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection, models
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


def _columns_sql(model: type[models.Model], attnames: Sequence[str]) -> str:
    fields = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(fields[name]) for name in attnames)
    return f"{connection.ops.quote_name(model._meta.db_table)} ({columns})"


def rows_insert(
    cursor: Any, model: type[models.Model], attnames: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert `rows` (values in `attnames` order, adapted as the model fields do:
    `connection.ops.adapt_datetimefield_value` and the like) into `model`'s table.

    On PostgreSQL through COPY: executemany sends one INSERT per row, quoting every value in
    Python, and at 100,000 lots that was most of the build's time. The rows go through
    psycopg's COPY in text format, so each value is dumped by its Python type, as the
    parameters of an INSERT are, and the database parses it into the column's type.
    SQLite's executemany is already fast (one prepared statement, in process).
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        marks = ", ".join(["%s"] * len(attnames))
        # Table and column names come from the model's metadata; the values are bound.
        insert = f"INSERT INTO {_columns_sql(model, attnames)} VALUES ({marks})"  # noqa: S608
        cursor.executemany(insert, rows)
        return
    with (
        connection.wrap_database_errors,
        cursor.copy(f"COPY {_columns_sql(model, attnames)} FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
