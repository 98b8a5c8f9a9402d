"""The `tracelot` commands: trace, lots, check; bad input is one clear line, never a traceback."""

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command, load_command_class

from tracelot.ledger import services

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "trace.schema.json").read_text())


@pytest.fixture
def plant(dough_made):
    return {code: dough_made[code] for code in ("flour", "pork", "dough")}


def run_from_shell(*argv: str) -> None:
    """Run a command as the shell would (errors are printed, not raised)."""
    app = {"trace": "tracelot.trace", "lots": "tracelot.lots", "verify": "tracelot.ledger"}
    command = load_command_class(app[argv[0]], argv[0])
    command.run_from_argv(["tracelot", *argv])


def test_trace_json_follows_the_published_schema(plant, capsys):
    call_command("trace", plant["dough"].code, "--format", "json")
    trace = json.loads(capsys.readouterr().out)
    jsonschema.validate(trace, SCHEMA)
    assert {lot["code"] for lot in trace["lots"]} == {p.code for p in plant.values()}
    assert trace["suppliers"][0]["lots"] == sorted([plant["flour"].code, plant["pork"].code])


def test_forward_trace_from_a_supplier_lot_lists_the_customer(plant, capsys):
    call_command("trace", plant["flour"].supplier_lot, "--direction", "forward", "--format", "json")
    trace = json.loads(capsys.readouterr().out)
    jsonschema.validate(trace, SCHEMA)
    assert [c["name"] for c in trace["customers"]] == ["Hema Fresh"]


def test_trace_as_a_table_and_as_dot(plant, capsys, english):
    call_command("trace", plant["dough"].code)
    table = capsys.readouterr().out
    assert "Backward trace of" in table
    assert plant["flour"].supplier_lot in table
    call_command("trace", plant["dough"].code, "--format", "dot")
    dot = capsys.readouterr().out
    assert dot.startswith("digraph trace {")
    assert f'"{plant["flour"].code}" -> "{plant["dough"].code}"' in dot


def test_an_unknown_lot_prints_one_clear_line_and_exits_non_zero(db, capsys, english):
    with pytest.raises(SystemExit) as exit_:
        run_from_shell("trace", "NO-SUCH-LOT")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "Nothing matches NO-SUCH-LOT: not a lot code, supplier lot, GS1 barcode, "
        "work order or sales order."
    ]


def test_an_unknown_lot_is_reported_in_chinese(db, capsys, monkeypatch):
    monkeypatch.setenv("TRACELOT_LANGUAGE", "zh-hans")
    with pytest.raises(SystemExit):
        run_from_shell("trace", "NO-SUCH-LOT")
    assert "NO-SUCH-LOT" in capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err


def test_a_malformed_gs1_string_is_refused_cleanly(db, capsys, english):
    with pytest.raises(SystemExit):
        run_from_shell("trace", "(01)123(10)")
    assert "Nothing matches (01)123(10)" in capsys.readouterr().err


def test_lots_lists_json_filtered_by_kind_and_status(plant, capsys):
    call_command("lots", "--kind", "raw", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in rows} == {plant["flour"].code, plant["pork"].code}
    assert {"code", "gtin", "lot", "item", "quantity", "unit", "status"} <= set(rows[0])
    call_command("lots", "--status", "released", "--limit", "1", "--format", "json")
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_lots_refuses_a_zero_limit(db, capsys, english):
    with pytest.raises(SystemExit):
        run_from_shell("lots", "--limit", "0")
    assert capsys.readouterr().err.strip() == "--limit must be at least 1."


def test_check_passes_on_a_balanced_plant(plant, capsys):
    call_command("check")
    out = capsys.readouterr().out
    assert "✗" not in out


def test_check_finds_an_unbalanced_work_order_and_an_unlinked_lot(
    step, flour, receive, operator, capsys, english
):
    lot = receive(flour)
    services.lot_consume(step=step, lot=lot, quantity=Decimal(5), actor=operator, key="c")
    services.lot_produce(
        step=step, quantity=Decimal(100), actor=operator, key="p", over_bom_reason="scale broke"
    )
    from tests.factories import LotFactory

    LotFactory(code="TYPED-BY-HAND")  # no origin event
    with pytest.raises(SystemExit):
        call_command("check")
    out = capsys.readouterr().out
    assert "Lots with no origin event: 1 (TYPED-BY-HAND)" in out
    assert f"Work-order steps out of mass balance: 1 ({step.work_order.number}/" in out
