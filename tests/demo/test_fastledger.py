"""The demo's fast path on the database under test: the plant it writes is one the ledger stands by.

The build takes the path it takes in use (COPY and deferred indexes and foreign keys on
PostgreSQL, executemany and deferred indexes on SQLite), here inside the test's transaction,
which the deferrals allow for. The checks are the ones Tracelot runs on any ledger.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from tracelot.demo.builder import DemoBuilder
from tracelot.ledger.effects import lot_effect_apply
from tracelot.ledger.integrity import integrity_findings
from tracelot.ledger.kinds import KINDS
from tracelot.ledger.models import Event
from tracelot.ledger.rebuild import genealogy_rebuild
from tracelot.ledger.selectors import ledger_verify
from tracelot.lots.models import Lot
from tracelot.plants.models import Site

TABLES = ("ledger_event", "genealogy_edge", "lots_lot")


def _schema() -> dict[str, list[tuple[Any, ...]]]:
    """Every index, constraint and trigger of the big tables, as the catalogue defines them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE type IN ('index', 'trigger') AND tbl_name IN (%s, %s, %s) ORDER BY name",
                TABLES,
            )
            return {"objects": cursor.fetchall()}
        queries = {
            "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = ANY(%s) ORDER BY indexname",
            "constraints": "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid), "
            "k.convalidated FROM pg_constraint AS k JOIN pg_class AS t ON t.oid = k.conrelid "
            "WHERE t.relname = ANY(%s) ORDER BY k.conname",
            "triggers": "SELECT t.relname, g.tgname, g.tgenabled, pg_get_triggerdef(g.oid) "
            "FROM pg_trigger AS g JOIN pg_class AS t ON t.oid = g.tgrelid "
            "WHERE t.relname = ANY(%s) AND NOT g.tgisinternal ORDER BY g.tgname",
        }
        schema = {}
        for name, sql in queries.items():
            cursor.execute(sql, [list(TABLES)])
            schema[name] = cursor.fetchall()
        return schema


@pytest.fixture
def built(db):
    before = _schema()
    DemoBuilder(lots=300, seed=5, until=date(2025, 3, 14)).build()
    return before


def test_the_build_leaves_every_index_constraint_and_trigger_as_migrations_made_them(built):
    after = _schema()
    assert after == built
    names = {row[1] for rows in after.values() for row in rows}
    assert "lots_lot_code_upper_idx" in names  # made by raw SQL in lots 0005
    assert any("no_update" in name or "no_change" in name for name in names)  # the ledger's


def test_the_hash_chain_verifies_and_the_integrity_check_finds_nothing(built):
    report = ledger_verify(site=Site.objects.get())
    assert report.broken_at is None
    assert report.head_matches
    assert report.events == Event.objects.count() > 300
    assert [(f.check, f.examples) for f in integrity_findings() if f.count] == []


def test_every_lot_stands_as_a_replay_of_its_events_by_the_kinds_declaration(built):
    replayed = {
        lot.pk: Lot(pk=lot.pk, item=lot.item, status="", quantity_on_hand=Decimal(0))
        for lot in Lot.objects.select_related("item")
    }
    events = Event.objects.order_by("chain_position").values_list(
        "kind", "lot_id", "other_lot_id", "quantity", "location_id"
    )
    for kind, lot_id, other_lot_id, quantity, location_id in events:
        other = replayed[other_lot_id] if other_lot_id else None
        lot_effect_apply(
            KINDS[kind], replayed[lot_id], quantity, location_id=location_id, other=other
        )
    stored = Lot.objects.values_list("pk", "status", "quantity_on_hand", "location_id")
    assert {pk: (status, on_hand, location) for pk, status, on_hand, location in stored} == {
        pk: (lot.status, lot.quantity_on_hand, lot.location_id) for pk, lot in replayed.items()
    }


def test_the_edges_are_the_genealogy_the_ledger_rebuilds(built):
    report = genealogy_rebuild(apply=False)
    assert report.steps > 0
    assert report.edges_before == report.edges_after > 0
    assert report.differences == 0
