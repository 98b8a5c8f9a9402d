"""Crash trials kept in the suite: a recording process killed with SIGKILL at 50 random
moments loses no acknowledged event, doubles none, leaves no half batch, writes nothing on a
retry, and leaves a sealed chain and lots that verify (SQLite's integrity check too)."""

from django.core.management import call_command

from tracelot.bench import faults


def test_fifty_kills_lose_or_double_nothing_acknowledged(capsys, english):
    # A scratch plant of its own, beside the bench's plants (bench.runner.fault_database).
    call_command("bench", "--faults", "50")
    out = capsys.readouterr().out
    assert "50 trials, 50 kills" in out
    assert ": 0 trials lost, doubled or broke something" in out


def test_a_lost_acknowledged_event_is_reported(tmp_path, db):
    """The check itself can fail: an acknowledged key the ledger does not hold is named."""
    acks = tmp_path / "acks"
    acks.write_text("intent fault-9-0\nack fault-9-0\nintent fault-9-1 fault-9-2\n")
    result = faults.fault_check(acks)
    assert result.missing == ["fault-9-0"]
    assert not result.ok
