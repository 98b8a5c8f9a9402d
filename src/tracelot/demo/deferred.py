# ruff: noqa: S608 - table, index and constraint names come from model metadata and the catalogue.
"""What a demo build defers to its end: secondary indexes, and on PostgreSQL foreign keys.

Measured at 100,000 lots on SQLite: inserting into ledger_event with its ~20 indexes (one
per foreign key, the lookups, the unique key and chain position) cost more than everything
else; one sort per index at the end is several times cheaper. On PostgreSQL each row's
index entries go to the WAL as well, and rebuilding an index is one sort again.

The CREATE statements are read from the database's own catalogue (sqlite_master,
pg_indexes.indexdef) before the indexes are dropped, so indexes that migrations made with
raw SQL (lots 0005: UPPER(code) COLLATE "C") come back exactly as they were. On SQLite the
unique indexes go too, and re-check uniqueness over every row when they are rebuilt. On
PostgreSQL the primary keys and unique indexes stay: constraints stand on some of them,
and the build relies on them to refuse a duplicate the moment it is written.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from tracelot.edges.models import Edge
from tracelot.ledger.models import Event
from tracelot.lots.models import Lot

DEFERRED_MODELS = (Event, Edge, Lot)


def _tables() -> list[str]:
    return [model._meta.db_table for model in DEFERRED_MODELS]


def _pending_checks_run() -> None:
    # PostgreSQL alters no table while foreign-key checks on it wait for the commit, as they
    # do when a caller's transaction (a test) holds the build: Django's check_constraints runs
    # them now and leaves the constraints deferred again.
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        connection.check_constraints()


def secondary_indexes(cursor: Any, tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of each index on `tables` that a build drops and makes again."""
    if connection.vendor == "sqlite":
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name",
            tables,
        )
        return cursor.fetchall()
    cursor.execute(
        "SELECT ix.indexname, ix.indexdef FROM pg_indexes AS ix "
        "JOIN pg_namespace AS n ON n.nspname = ix.schemaname "
        "JOIN pg_class AS c ON c.relname = ix.indexname AND c.relnamespace = n.oid "
        "JOIN pg_index AS i ON i.indexrelid = c.oid "
        "WHERE ix.schemaname = current_schema() AND ix.tablename = ANY(%s) "
        "AND NOT i.indisunique AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT FROM pg_constraint AS k WHERE k.conindid = c.oid) "
        "ORDER BY ix.indexname",
        [tables],
    )
    return cursor.fetchall()


def foreign_keys(cursor: Any, tables: list[str]) -> list[tuple[str, str, str]]:
    """(table, name, definition) of each foreign key of `tables`, on PostgreSQL."""
    cursor.execute(
        "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint AS k "
        "JOIN pg_class AS t ON t.oid = k.conrelid "
        "JOIN pg_namespace AS n ON n.oid = t.relnamespace "
        "WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY(%s) "
        "ORDER BY t.relname, k.conname",
        [tables],
    )
    return cursor.fetchall()


@contextmanager
def indexes_deferred() -> Iterator[None]:
    """Drop the secondary indexes of lots, events and edges; build them again at the end."""
    tables = _tables()
    quote = connection.ops.quote_name
    _pending_checks_run()
    with transaction.atomic(), connection.cursor() as cursor:
        indexes = secondary_indexes(cursor, tables)
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield
    finally:
        _pending_checks_run()
        with transaction.atomic(), connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                # The planner's statistics still describe the empty tables of the migration;
                # the figures rebuilt next, and the first pages, would plan from them.
                cursor.execute(f"ANALYZE {', '.join(map(quote, tables))}")


@contextmanager
def foreign_keys_deferred() -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys of lots, events and edges; add them back at the end.

    Each foreign key is checked by a trigger per row (when the flush commits, as Django
    makes them DEFERRABLE INITIALLY DEFERRED): measured at 30,000 lots, a third of the
    build. Adding a foreign key back checks every row in one query instead, so the data
    is held to the same constraints, and the definitions come back from
    pg_get_constraintdef under their own names. The ledger's own triggers stay as they are.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    _pending_checks_run()
    with transaction.atomic(), connection.cursor() as cursor:
        keys = foreign_keys(cursor, _tables())
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    try:
        yield
    finally:
        _pending_checks_run()
        with transaction.atomic(), connection.cursor() as cursor:
            for table, name, definition in keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
