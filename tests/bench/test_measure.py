"""The benchmark's measurements on a tiny plant: the JSON shape and baselines that agree."""

import pytest
from django.db import connection
from rich.progress import Progress

from tracelot.bench.baselines import MemoryGraph, orm_per_level_trace
from tracelot.bench.measure import Settings, measure_scale
from tracelot.bench.report import render, targets
from tracelot.ledger.models import Event
from tracelot.trace.engine import Direction, reached_lot_ids

pytestmark = pytest.mark.django_db

TIMING = {"median", "p95"}


@pytest.mark.parametrize("direction", list(Direction))
def test_both_baselines_reach_the_same_lots_as_the_engine(plant, direction):
    graph = MemoryGraph.load()
    for lot in plant.values():
        engine = set(reached_lot_ids(lot_ids=[lot.pk], direction=direction))
        assert orm_per_level_trace(lot_ids=[lot.pk], direction=direction) == engine
        assert set(graph.reach(lot_ids=[lot.pk], direction=direction).tolist()) == engine


def test_the_rework_loop_is_walked_once_by_the_baselines(plant):
    start = [plant["flour2"].pk]
    reached = orm_per_level_trace(lot_ids=start, direction=Direction.FORWARD)
    expected = {"flour2", "dough2", "dumpling2", "dough1", "dumpling1"}
    assert reached == {plant[name].pk for name in expected}
    in_memory = MemoryGraph.load().reach(lot_ids=start, direction=Direction.FORWARD)
    assert sorted(in_memory.tolist()) == sorted(reached)


def test_a_scale_entry_has_every_figure_of_the_report(plant):
    events_before = Event.objects.count()
    # Stations are threads on their own connections: they cannot see this test's uncommitted
    # plant, so test_stations.py measures them in transactional tests.
    settings = Settings(samples=4, orm_samples=2, single_events=5, batches=1, stations=0)
    entry = measure_scale(lots=100, settings=settings, progress=Progress(disable=True))

    assert entry["lots"] == 100
    assert entry["database"] in {"sqlite", "postgresql"}
    assert entry["lots_in_database"] == len(plant)
    for key in ("backward_ms", "forward_ms"):
        assert set(entry[key]) == TIMING
        assert 0 < entry[key]["median"] <= entry[key]["p95"]
    assert entry["samples"] == {"backward": 2, "forward": 4}
    assert entry["forward_reached"] >= 4  # flour/pork → dough → dumplings
    assert entry["backward_reached"] >= 4
    orm, memory = entry["baselines"]["orm_per_level"], entry["baselines"]["memory_bfs"]
    assert orm["samples"] == 2
    assert set(orm["backward_ms"]) == set(orm["forward_ms"]) == TIMING
    assert set(memory["backward_ms"]) == set(memory["forward_ms"]) == TIMING
    assert memory["load_s"] >= 0
    assert set(entry["ratios"]) == {
        "forward_vs_orm",
        "backward_vs_orm",
        "forward_ids_vs_orm",
        "backward_ids_vs_orm",
    }
    wide = entry["wide_forward"]
    assert wide["lot"] in {plant["flour1"].code, plant["flour2"].code}  # they reach the most
    assert wide["reached"] == 5
    assert wide["agrees"] is True
    assert entry["agreement"] == {"checked": 6, "mismatched_lots": []}
    assert entry["stations_ms"] is None
    record = entry["record_events_per_s"]
    assert record["single"] > 0
    assert record["batch"] > 0
    scans = entry["scan_ms"]
    accepted = Event.objects.filter(kind="consume", step__operation="bench").count()
    received = Event.objects.filter(key__startswith="bench-scans-").count()
    assert accepted == 40  # 40 fresh lots, then 20 scans of lots used up
    assert received == 2 * 40  # received and released
    assert Event.objects.count() == events_before + 5 + 1000 + accepted + received
    assert scans["scans"] == 60
    assert set(scans["all_ms"]) == TIMING


def test_the_report_prints_the_scales_and_judges_the_targets(plant):
    settings = Settings(samples=2, orm_samples=1, single_events=1, batches=1, stations=0)
    entry = measure_scale(lots=100, settings=settings, progress=Progress(disable=True))
    text = render([entry, {**entry, "lots": 1_000_000}])
    assert "1,000,000" in text
    assert "Backward trace" in text
    judged = targets(entry)
    assert [t.label for t in judged[-5:]] == [
        "Every page renders in under 300 ms on the server",
        "An incident's scope in under 1 s",
        "Containment of every in-plant lot in under 5 s",
        "A mock recall with its report in under 10 s",
        "Likely causes over a month of failed lots in under 2 s",
    ]
    recall = entry["mock_recall_ms"]
    assert recall["lot"] == entry["wide_forward"]["lot"]
    assert recall["lots"] == entry["wide_forward"]["reached"]
    assert set(recall["steps_ms"]) == {"scope", "customers", "report", "total"}
    assert entry["incident_scope_ms"]["lots"] == recall["lots"]
    # The flour and what was made from it, still in stock.
    assert entry["containment_ms"]["held"] > 0
    assert not Event.objects.filter(reason__startswith="bench containment").exists()
    assert entry["pages_ms"]["pages"]["start"]["status"] == 200
    if connection.vendor == "postgresql":  # the settings the figures were measured with
        assert "random_page_cost" in entry["server_settings"]
        assert "PostgreSQL settings: " in text
    else:
        assert entry["server_settings"] is None
