"""Stations scanning at once through the scan view: figures, and each accepted scan recorded once.

No timing is asserted: speed is the bench's to measure, not a unit test's.
"""

from decimal import Decimal

import pytest
from rich.console import Console

from tests.factories import BomLineFactory, ItemFactory, LineFactory, SupplierFactory
from tracelot.bench.report import scan_targets, scans_table, stations_problems
from tracelot.bench.stations import STEP_OPERATION, measure_stations
from tracelot.capture.models import ScanLog, ScanResult
from tracelot.items.models import ItemKind
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus

pytestmark = pytest.mark.slow

STATIONS, SCANS = 4, 10  # a refused scan (the lot on hold) in every five


@pytest.fixture
def dumpling_floor(site, operator):
    """Dough made of flour, both with GTINs, so a bag's label can carry its weight."""
    flour = ItemFactory(code="FLOUR", kind=ItemKind.RAW, unit="kg", gtin="06954321200073")
    dough = ItemFactory(code="DOUGH", kind=ItemKind.INTERMEDIATE, unit="kg", gtin="06954321200011")
    BomLineFactory(parent=dough, component=flour, quantity=Decimal("0.62"))
    LineFactory(site=site)
    SupplierFactory()
    return flour


def test_stations_scanning_at_once_record_each_accepted_scan_once(flushable_ledger, dumpling_floor):
    figures = measure_stations(stations=STATIONS, scans_per_station=SCANS)

    assert figures is not None
    assert figures["errors"] == 0, figures["first_error"]
    assert figures["unexpected"] == 0
    assert figures["stations"] == STATIONS
    assert figures["scans"] == STATIONS * SCANS
    assert figures["accepted"] == STATIONS * 8
    assert figures["refused"] == STATIONS * 2
    for key in ("accepted_ms", "refused_ms", "all_ms"):
        assert set(figures[key]) == {"median", "p95", "max"}
        assert 0 < figures[key]["median"] <= figures[key]["p95"] <= figures[key]["max"]
    assert figures["scans_per_s"] > 0
    consumed = Event.objects.filter(kind=EventKind.CONSUME, step__operation=STEP_OPERATION)
    assert figures["recorded_events"] == consumed.count() == figures["accepted"]
    assert consumed.values("key").distinct().count() == figures["accepted"]
    assert consumed.values("step").distinct().count() == STATIONS
    assert ScanLog.objects.filter(result=ScanResult.OK).count() == figures["accepted"]
    refusals = ScanLog.objects.filter(result=ScanResult.REFUSED)
    assert set(refusals.values_list("code", flat=True)) == {"lot_on_hold"}
    held = Lot.objects.get(status=LotStatus.ON_HOLD)
    assert not Event.objects.filter(lot=held, kind=EventKind.CONSUME).exists()


def test_the_stations_figures_are_reported_beside_one_station_and_judged(
    flushable_ledger, dumpling_floor
):
    figures = measure_stations(stations=2, scans_per_station=5)
    single = {key: {"median": 5.0, "p95": 6.0} for key in ("accepted_ms", "refused_ms", "all_ms")}
    entry = {
        "lots": 100,
        "database": "sqlite",
        "scan_ms": {**single, "scans": 60, "under_target": True},
        "stations_ms": figures,
    }

    judged = scan_targets(entry)
    console = Console(width=160)
    with console.capture() as capture:
        console.print(scans_table([entry]))

    assert [target.label for target in judged] == [
        "A scan answers in under 50 ms (p95)",
        "2 stations at once, a scan a second each: a scan answers in under 50 ms (p95)",
    ]
    assert judged[1].met is figures["under_target"]
    text = capture.get()
    assert "1 station, service call" in text
    assert "2 stations, a scan a second each, scan page" in text
    assert stations_problems([entry]) == []


def test_failed_scans_and_lost_events_are_reported_as_problems():
    figures = {
        "stations": 20,
        "accepted": 10,
        "recorded_events": 9,
        "unexpected": 1,
        "errors": 2,
        "first_error": "OperationalError: database is locked",
    }

    problems = stations_problems([{"lots": 20_000, "stations_ms": figures}])

    assert problems == [
        "20,000 lots: scans failed at the stations: 2, first: OperationalError: database is locked",
        "20,000 lots: scans answered otherwise than planned: 1.",
        "20,000 lots: 9 consumptions for 10 scans accepted.",
    ]


def test_a_plant_without_a_weighed_component_with_a_gtin_has_no_station_figures(db, site):
    BomLineFactory(
        parent=ItemFactory(code="DOUGH", kind=ItemKind.INTERMEDIATE),
        component=ItemFactory(code="FLOUR", kind=ItemKind.RAW, unit="kg", gtin=""),
    )
    LineFactory(site=site)
    SupplierFactory()

    assert measure_stations(stations=2, scans_per_station=5) is None
