"""The trace engine: equal to a plain reference search on any genealogy, cycles included."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ItemFactory, LotFactory
from tracelot.edges.models import Edge
from tracelot.lots.models import Lot
from tracelot.trace.engine import Direction, lot_trace, reached_lot_ids
from tracelot.trace.reference import reference_reach

pytestmark = pytest.mark.django_db

graphs = st.integers(min_value=1, max_value=14).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40, unique=True),
        st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True),
    )
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(graph=graphs, forward=st.booleans())
def test_a_trace_reaches_exactly_what_a_reference_search_reaches(site, graph, forward):
    size, links, starts = graph
    with transaction.atomic():
        item = ItemFactory()
        lots = Lot.objects.bulk_create(
            [LotFactory.build(site=site, item=item, code=f"G{i}") for i in range(size)]
        )
        Edge.objects.bulk_create(
            Edge(site=site, source=lots[s], target=lots[t], quantity=Decimal(1)) for s, t in links
        )
        direction = Direction.FORWARD if forward else Direction.BACKWARD
        start_ids = [lots[i].pk for i in starts]
        expected = reference_reach(
            [(lots[s].pk, lots[t].pk) for s, t in links], start_ids, forward=forward
        )
        reached = reached_lot_ids(lot_ids=start_ids, direction=direction)
        assert sorted(reached) == sorted(expected)  # each lot once: diamonds are exact
        trace = lot_trace(lot_ids=start_ids, direction=direction)
        assert {lot["code"] for lot in trace.lots} == {
            f"G{i}" for i, lot in enumerate(lots) if lot.pk in expected
        }
        transaction.set_rollback(True)


@pytest.fixture
def dumplings(site):
    """flour → dough → dumplings ← pork, and dumplings reworked into themselves."""
    item = ItemFactory()
    lots = {
        code: LotFactory(site=site, item=item, code=code)
        for code in ("FLOUR", "PORK", "DOUGH", "DUMPLINGS", "OTHER")
    }
    for source, target in [
        ("FLOUR", "DOUGH"),
        ("DOUGH", "DUMPLINGS"),
        ("PORK", "DUMPLINGS"),
        ("DUMPLINGS", "DUMPLINGS"),
        ("FLOUR", "OTHER"),
    ]:
        Edge.objects.create(
            site=site, source=lots[source], target=lots[target], quantity=Decimal(2)
        )
    return lots


def test_a_backward_trace_finds_every_input_through_a_rework_loop(dumplings):
    trace = lot_trace(lot_ids=[dumplings["DUMPLINGS"].pk], direction=Direction.BACKWARD)
    assert [lot["code"] for lot in trace.lots] == ["DOUGH", "DUMPLINGS", "FLOUR", "PORK"]
    assert {"from": "DUMPLINGS", "to": "DUMPLINGS", "quantity": "2", "in_lot": "2"} in trace.edges
    assert len(trace.edges) == 4


def test_a_forward_trace_follows_a_material_into_everything_made_from_it(dumplings):
    trace = lot_trace(lot_ids=[dumplings["FLOUR"].pk], direction=Direction.FORWARD)
    assert [lot["code"] for lot in trace.lots] == ["DOUGH", "DUMPLINGS", "FLOUR", "OTHER"]
    assert trace.start == ["FLOUR"]
