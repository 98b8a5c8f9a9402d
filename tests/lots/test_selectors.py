"""Reads of lots: the search by the start of a code is served by an index on both databases;
codes and order numbers are unique per site, not across sites."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import LotFactory, SalesOrderFactory, SiteFactory, WorkOrderFactory
from tracelot.edges.models import Edge
from tracelot.lots.models import Lot
from tracelot.lots.selectors import lots_starting_with

pytestmark = pytest.mark.django_db


def test_lots_are_found_by_the_start_of_their_code_or_supplier_lot_in_any_case():
    dough = LotFactory(code="DOUGH-261130-0001")
    flour = LotFactory(code="FLOUR-261130-0001", supplier_lot="wdf-2411a")
    LotFactory(code="PORK-261130-0001")
    assert list(lots_starting_with(Lot.objects.all(), text="dough-26")) == [dough]
    assert list(lots_starting_with(Lot.objects.all(), text=" WDF-24 ")) == [flour]
    assert list(lots_starting_with(Lot.objects.all(), text="X")) == []


def test_the_search_by_prefix_is_served_by_its_index():
    LotFactory(code="DOUGH-1")
    query = lots_starting_with(Lot.objects.all(), text="DOUGH").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read whole
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "lots_lot_code_upper_idx" in plan
    assert "lots_lot_supplier_lot_upper_idx" in plan


def test_two_sites_may_give_a_lot_the_same_code_and_an_order_the_same_number():
    one, two = SiteFactory(code="S1"), SiteFactory(code="S2", name="Two")
    LotFactory(site=one, code="L-1")
    LotFactory(site=two, code="L-1")
    WorkOrderFactory(site=one, number="WO-1")
    WorkOrderFactory(site=two, number="WO-1")
    SalesOrderFactory(site=one, number="SO-1")
    SalesOrderFactory(site=two, number="SO-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        LotFactory(site=one, code="L-1")


def test_a_split_or_merge_edge_between_two_lots_is_stored_once():
    source, target = LotFactory(), LotFactory()
    Edge.objects.create(site=source.site, source=source, target=target, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edge.objects.create(site=source.site, source=source, target=target, quantity=1)
