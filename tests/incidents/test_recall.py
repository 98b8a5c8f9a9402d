"""A mock recall: the scope, the customers with quantities, and every unit accounted for."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracelot.incidents.recall import mock_recall
from tracelot.ledger import services
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import LotStatus

pytestmark = pytest.mark.django_db


def test_a_mock_recall_of_flour_finds_the_dough_and_the_customer_and_balances(dough_made):
    flour = dough_made["flour"]
    events_before = Event.objects.count()
    result = mock_recall(lot=flour).as_json()
    assert result["lot"] == flour.code
    assert result["scope"]["lots"] == 2  # the flour and the dough made from it
    assert result["scope"]["shipped"] == 1
    assert result["scope"]["in_stock"] == 1
    (customer,) = result["customers"]
    assert customer["name"] == "Hema Fresh"
    assert customer["gln"] == "6901234000017"
    assert customer["lots"] == [dough_made["dough"].code]
    assert customer["sales_orders"] == [dough_made["order"].number]
    assert (customer["quantity"], customer["unit"]) == ("10", "kg")
    # 100 kg of flour received and 10 kg of dough made: 92 in stock, 8 consumed, 10 shipped.
    assert result["mass_balance"]["kg"] == {
        "made": "110",
        "in_stock": "92",
        "shipped": "10",
        "consumed": "8",
        "scrapped": "0",
        "returned": "0",
        "unaccounted": "0",
    }
    assert set(result["timings_ms"]) == {"scope", "customers", "report", "total"}
    assert Event.objects.count() == events_before  # nothing held, nothing recorded
    flour.refresh_from_db()
    assert flour.status == LotStatus.RELEASED


def test_a_reversed_shipment_is_not_a_customer_to_recall_from(dough_made, operator):
    ship = Event.objects.get(kind=EventKind.SHIP)
    services.event_reverse(event=ship, reason="scanned the wrong pallet", actor=operator, key="r")
    result = mock_recall(lot=dough_made["flour"]).as_json()
    assert result["customers"] == []
    assert result["mass_balance"]["kg"]["in_stock"] == "102"
    assert result["mass_balance"]["kg"]["unaccounted"] == "0"


def test_a_count_that_came_out_short_is_unaccounted(dough_made, operator):
    flour = dough_made["flour"]
    services.lot_adjust(
        lot=flour, counted=Decimal(90), reason="stock count", actor=operator, key="a"
    )
    result = mock_recall(lot=flour).as_json()
    assert result["mass_balance"]["kg"]["unaccounted"] == "2"


def test_the_command_prints_json_with_the_documented_keys(dough_made):
    out = StringIO()
    call_command("recall", dough_made["flour"].code, "--mock", "--format", "json", stdout=out)
    answer = json.loads(out.getvalue())
    assert {"lot", "scope", "customers", "mass_balance", "timings_ms"} <= set(answer)
    assert answer["complete"] is True
    assert set(answer["score"]) == {"brcgs", "fsma_204"}
    assert {"code", "name", "gln", "lots", "quantity", "unit"} <= set(answer["customers"][0])


def test_the_command_prints_tables_in_chinese(dough_made, monkeypatch):
    monkeypatch.setenv("TRACELOT_LANGUAGE", "zh-hans")
    out = StringIO()
    call_command("recall", dough_made["flour"].code, "--mock", stdout=out)
    assert "模拟召回" in out.getvalue()


def test_the_command_rehearses_only(dough_made):
    with pytest.raises(CommandError, match="--mock"):
        call_command("recall", dough_made["flour"].code)
    with pytest.raises(CommandError):
        call_command("recall", "NO-SUCH-LOT", "--mock")
