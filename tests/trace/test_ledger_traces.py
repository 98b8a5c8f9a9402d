"""A trace of lots made through the ledger: events, suppliers at the roots, customers at the leaves."""

from datetime import UTC, datetime

import pytest

from tracelot.core.errors import Refused
from tracelot.trace import engine
from tracelot.trace.engine import Direction, lot_trace
from tracelot.trace.selectors import trace_start_lot_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(dough_made):
    return dough_made


def test_backward_trace_names_the_suppliers_and_their_lots(made, supplier):
    trace = lot_trace(lot_ids=[made["dough"].pk], direction=Direction.BACKWARD)
    assert trace.suppliers == [
        {
            "code": supplier.code,
            "name": supplier.name,
            "name_zh": supplier.name_zh,
            "gln": supplier.gln,
            "lots": sorted([made["flour"].code, made["pork"].code]),
        }
    ]
    produce = next(e for e in trace.events if e["kind"] == "produce")
    assert produce["work_order"] == made["dough"].work_order.number
    assert produce["by"] == "Li Wei"
    assert produce["responsible"] == "Zhang Min"
    assert produce["shift"] is not None


def test_forward_trace_names_the_customers_that_received_the_material(made):
    trace = lot_trace(lot_ids=[made["flour"].pk], direction=Direction.FORWARD)
    assert [c["name"] for c in trace.customers] == ["Hema Fresh"]
    assert trace.customers[0]["lots"] == [made["dough"].code]
    assert trace.shipments[0]["sales_order"] == made["order"].number
    edge = {"from": made["flour"].code, "to": made["dough"].code, "quantity": "8", "in_lot": "8"}
    assert edge in trace.edges


def test_a_trace_starts_from_a_supplier_lot_a_gs1_string_or_an_order(made, flour):
    flour_lot = made["flour"]
    assert trace_start_lot_ids(text=flour_lot.supplier_lot) == [flour_lot.pk]
    flour_lot.gtin = "06901234000122"
    flour_lot.save()
    assert trace_start_lot_ids(text=f"(01)06901234000122(10){flour_lot.batch}") == [flour_lot.pk]
    assert trace_start_lot_ids(text=f"]d20106901234000122\x1d10{flour_lot.batch}") == [flour_lot.pk]
    assert trace_start_lot_ids(text=made["dough"].work_order.number) == [made["dough"].pk]
    assert trace_start_lot_ids(text=made["order"].number) == [made["dough"].pk]


def test_a_trace_from_an_lgtin_urn(made):
    lot = made["pork"]
    lot.gtin, lot.batch = "00614141111114", "987"
    lot.save()
    assert trace_start_lot_ids(text="urn:epc:id:lgtin:0614141.011111.987") == [lot.pk]


def test_an_unknown_start_is_refused_in_the_users_language(db, english):
    with pytest.raises(Refused, match="Nothing matches NOPE"):
        trace_start_lot_ids(text="NOPE")


@pytest.mark.parametrize(
    ("when", "printed"),
    [
        (datetime(2026, 11, 28, 1, 58, 0, 120000, tzinfo=UTC), "2026-11-28T01:58:00.120000+00:00"),
        (datetime(2026, 11, 28, 1, 58, 7, tzinfo=UTC), "2026-11-28T01:58:07+00:00"),
    ],
)
def test_times_and_quantities_read_exactly_as_the_ledger_holds_them(receive, flour, when, printed):
    """The same text from either database: ISO 8601 in UTC, decimals without padding."""
    lot = receive(flour, quantity="2947.2", occurred_at=when)
    trace = lot_trace(lot_ids=[lot.pk], direction=Direction.BACKWARD)
    received = next(e for e in trace.events if e["kind"] == "receive")
    assert received["occurred_at"] == printed == when.isoformat()
    assert received["quantity"] == "2947.2"
    assert trace.lots[0]["quantity"] == "2947.2"


def test_a_wide_trace_reads_the_same_answer_as_a_narrow_one(made, monkeypatch):
    """From WIDE lots on, PostgreSQL reads in one transaction without JIT or parallel workers."""
    narrow = lot_trace(lot_ids=[made["flour"].pk], direction=Direction.FORWARD).as_json()
    monkeypatch.setattr(engine, "WIDE", 0)
    assert lot_trace(lot_ids=[made["flour"].pk], direction=Direction.FORWARD).as_json() == narrow
