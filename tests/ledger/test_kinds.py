"""Every event kind is declared once, and the places that count, trace or sum events read
the declaration rather than naming kinds themselves."""

from decimal import Decimal

import pytest

from tracelot.demo.fastledger import LotState
from tracelot.ledger.effects import change_record, lot_effect_apply
from tracelot.ledger.kinds import KINDS, Figure, OnHand, Role, kinds_where, standing
from tracelot.ledger.models import EventKind
from tracelot.lots.models import LotStatus

K = EventKind


def test_every_kind_has_exactly_one_declaration():
    assert set(KINDS) == set(EventKind.values)
    assert all(spec.kind == kind for kind, spec in KINDS.items())


def test_the_declaration_says_what_traces_figures_and_the_genealogy_count():
    assert kinds_where(lambda s: s.origin) == [K.RECEIVE, K.PRODUCE]
    assert kinds_where(lambda s: s.traced) == [K.RECEIVE, K.PRODUCE, K.SHIP]
    assert kinds_where(lambda s: s.to_customer) == [K.SHIP]
    assert kinds_where(lambda s: s.figure == Figure.OUTPUT) == [K.PRODUCE]
    assert kinds_where(lambda s: s.figure == Figure.INSPECTION) == [K.INSPECT]
    assert kinds_where(lambda s: s.role == Role.INPUT) == [K.CONSUME]
    assert kinds_where(lambda s: s.role == Role.OUTPUT) == [K.PRODUCE]
    assert kinds_where(lambda s: s.role == Role.LINK) == [K.SPLIT, K.MERGE]
    assert kinds_where(lambda s: not s.reversible) == [K.SPLIT, K.MERGE, K.REVERSAL]


def test_a_reversal_counts_as_minus_its_original():
    spec, quantity = standing(K.REVERSAL, K.CONSUME, Decimal(5))
    assert (spec.kind, quantity) == (K.CONSUME, Decimal(-5))
    assert standing(K.CONSUME, None, Decimal(5))[1] == Decimal(5)


def _lot(**values):
    state = {"id": 1, "code": "L", "item_id": 1, "gtin": "", "unit": "kg",
             "status": LotStatus.RELEASED, "quantity_on_hand": Decimal(10),
             "location_id": 7, "created_at": None}  # fmt: skip
    return LotState(**{**state, **values})


@pytest.mark.parametrize(
    ("kind", "quantity", "location", "after"),
    [
        (K.CONSUME, 10, None, (Decimal(0), LotStatus.CONSUMED, 7)),
        (K.SHIP, 4, None, (Decimal(6), LotStatus.RELEASED, 7)),
        (K.SCRAP, 10, None, (Decimal(0), LotStatus.SCRAPPED, 7)),
        (K.RETURN, 2, 9, (Decimal(12), LotStatus.QUARANTINE, 9)),
        (K.MOVE, 10, 9, (Decimal(10), LotStatus.RELEASED, 9)),
        (K.HOLD, 10, None, (Decimal(10), LotStatus.ON_HOLD, 7)),
        (K.ADJUST, 8, None, (Decimal(8), LotStatus.RELEASED, 7)),
        (K.INSPECT, 10, None, (Decimal(10), LotStatus.RELEASED, 7)),
    ],
)
def test_the_demos_lots_change_by_the_same_declaration_as_the_ledgers(
    kind, quantity, location, after
):
    lot = _lot()
    lot_effect_apply(KINDS[kind], lot, Decimal(quantity), location_id=location)
    assert (lot.quantity_on_hand, lot.status, lot.location_id) == after


def test_a_change_keeps_what_its_reversal_needs():
    lot = _lot()
    lot_effect_apply(KINDS[K.MOVE], lot, Decimal(10), location_id=9)
    assert change_record(KINDS[K.MOVE], lot, LotStatus.RELEASED, 7) == {
        "location_before": 7,
        "location_after": 9,
    }
    new = _lot(status="", quantity_on_hand=Decimal(0), location_id=None)
    lot_effect_apply(KINDS[K.RECEIVE], new, Decimal(5), location_id=3)
    # A new lot keeps no place to go back to: its reversal scraps it.
    assert change_record(KINDS[K.RECEIVE], new, "", None) == {
        "status_before": "",
        "status_after": LotStatus.QUARANTINE,
    }
    assert KINDS[K.RECEIVE].on_hand == OnHand.CREATE
