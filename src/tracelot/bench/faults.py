"""Crash trials: a writer records through the ledger and is killed (SIGKILL) at a random
moment; then every event it acknowledged must be there exactly once, a batch all or not at
all, a retry with the same keys must write nothing, the sealed chain must verify, every lot
must stand as its events make it, and SQLite must pass its own integrity check.

Each trial is one child process, forked from a zygote with Django loaded: it first checks
what the trial before it left, prints the result as one JSON line, prints "ready", and then
records events until it is killed. A key is acknowledged once its
transaction committed: the writer then appends it to the acknowledgement file and fsyncs.
"""

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.db import connection

from tracelot.bench.measure import DraftFactory, lots_in_stock
from tracelot.core.sql import values_in
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import Event, EventKind
from tracelot.ledger.projection import projection_verify
from tracelot.ledger.recording import record
from tracelot.ledger.selectors import ledger_verify
from tracelot.plants.models import Site

POOL = 200  # lots the writer moves and inspects
KILL_AFTER = (0.02, 0.3)  # seconds after "ready", drawn at random
READY_TIMEOUT = 60
SEGMENT = 20  # trials on one copy of the plant before a fresh one


def fault_write(acks: Path, seed: int) -> NoReturn:
    """Record single events and batches until killed, acknowledging each commit."""
    rng = random.Random(seed)  # noqa: S311 - a test's randomness, not a secret
    factory = DraftFactory(lots_in_stock(POOL, seed), seed)
    n = 0
    with acks.open("a") as log:
        print("ready", flush=True)
        while True:
            size = 1 if rng.random() < 0.5 else rng.randint(2, 40)
            keys = [f"fault-{seed}-{n + i}" for i in range(size)]
            log.write(f"intent {' '.join(keys)}\n")
            log.flush()
            if size == 1:
                factory.record_one(key=keys[0])
            else:
                record([factory.draft(key=key) for key in keys])
            log.write(f"ack {' '.join(keys)}\n")
            log.flush()
            os.fsync(log.fileno())
            n += size


@dataclass
class TrialResult:
    acknowledged: int = 0
    missing: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    partial_batches: int = 0
    retry_wrote: int = 0
    chain_ok: bool = True
    lots_ok: bool = True
    integrity: str = "ok"

    @property
    def ok(self) -> bool:
        return (
            not self.missing
            and not self.doubled
            and not self.partial_batches
            and not self.retry_wrote
            and self.chain_ok
            and self.lots_ok
            and self.integrity == "ok"
        )


def fault_check(acks: Path) -> TrialResult:
    """What a killed writer left, checked against what it acknowledged."""
    whole = [
        line.split() for line in acks.read_text().splitlines(keepends=True) if line.endswith("\n")
    ]
    batches = [words[1:] for words in whole if words and words[0] == "intent"]
    acked = [key for words in whole if words and words[0] == "ack" for key in words[1:]]
    keys = [key for batch in batches for key in batch]
    counts = Counter(
        Event.objects.filter(key__in=values_in(keys, text=True)).values_list("key", flat=True)
    ) if keys else Counter()  # fmt: skip
    result = TrialResult(acknowledged=len(acked))
    result.missing = [key for key in acked if counts[key] == 0]
    result.doubled = sorted(key for key, count in counts.items() if count > 1)
    result.partial_batches = sum(
        0 < sum(counts[key] > 0 for key in batch) < len(batch) for batch in batches
    )
    if acked:
        result.retry_wrote = _retry(acked[-40:])
    sites = list(Site.objects.all())
    result.chain_ok = all(ledger_verify(site=site).ok for site in sites)
    result.lots_ok = all(projection_verify(site=site).ok for site in sites)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            result.integrity = ", ".join(row[0] for row in cursor.fetchall())
    return result


def _retry(keys: list[str]) -> int:
    """Send the last acknowledged requests again with their keys: nothing new may be written."""
    before = Event.objects.count()
    events = Event.objects.filter(key__in=keys).select_related("lot", "actor", "location")
    drafts = [
        Draft(
            kind=event.kind,
            lot=event.lot,
            quantity=event.quantity,
            key=event.key,
            via=event.via,
            actor=event.actor,
            location=event.location if event.kind == EventKind.MOVE else None,
            data={k: v for k, v in event.data.items() if k in ("characteristic", "result")},
        )
        for event in events
    ]
    record(drafts)
    return Event.objects.count() - before


@dataclass
class Campaign:
    trials: int = 0
    kills: int = 0
    acknowledged: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: "Campaign") -> None:
        self.trials += other.trials
        self.kills += other.kills
        self.acknowledged += other.acknowledged
        self.failures.extend(other.failures)
        self.seconds += other.seconds


def fault_campaign(
    *,
    trials: int,
    env: dict[str, str],
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Campaign:
    """Run `trials` kill trials against the database `env` names (migrated, with lots).

    Writers are forked from a zygote that has Django loaded, so a trial costs its writing and
    its check, not an interpreter's start. The next writer is forked while the current one
    writes and waits for "go".
    """
    campaign = Campaign()
    rng = random.Random(f"{seed}:kills")  # noqa: S311
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="tracelot-faults-") as scratch,
        _Zygote(env, Path(scratch)) as zygote,
    ):
        acks = [Path(scratch) / f"acks-{trial}" for trial in range(trials + 1)]
        # Writer n checks trial n-1's acknowledgements and writes trial n's; the last only checks.
        child = zygote.fork(None, acks[0], seed * 100_000)
        for trial in range(trials + 1):
            last = trial == trials
            child.say("go")
            if trial:
                result = child.result()
                campaign.trials += 1
                campaign.acknowledged += result.get("acknowledged", 0)
                if not result.get("ok"):
                    campaign.failures.append(f"trial {trial}: {json.dumps(result)}")
                if progress is not None:
                    progress(campaign.trials)
            if last:
                child.wait()
                break
            child.wait_ready()
            following = zygote.fork(
                acks[trial], None if trial + 1 == trials else acks[trial + 1],
                seed * 100_000 + trial + 1,
            )  # fmt: skip
            time.sleep(rng.uniform(*KILL_AFTER))
            child.kill()
            campaign.kills += 1
            child = following
    campaign.seconds = time.perf_counter() - started
    return campaign


class _Writer:
    """One forked writer, spoken to through two named pipes; its errors go to a file."""

    def __init__(self, pid: int, talk: Path, hear: Path, errors: Path) -> None:
        self.pid = pid
        self.errors = errors
        self._in = talk.open("w")  # opened in the writer's order: its stdin first
        self._out = hear.open()

    def say(self, line: str) -> None:
        self._in.write(line + "\n")
        self._in.flush()

    def result(self) -> dict[str, Any]:
        line = self._out.readline()
        try:
            return dict(json.loads(line))
        except ValueError:
            self.kill()
            return {"ok": False, "error": self._failure(line)}

    def wait_ready(self) -> None:
        line = self._out.readline()
        if line.strip() != "ready":
            self.kill()
            raise RuntimeError(f"the writer did not start: {self._failure(line)}")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # it may have died on its own
            os.kill(self.pid, signal.SIGKILL)
        self.wait()

    def wait(self) -> None:
        """Until the process is gone: its pipe at its end, then its pid reaped (by the zygote)."""
        self._out.read()
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.002)
        self._in.close()
        self._out.close()

    def _failure(self, line: str) -> str:
        time.sleep(0.2)
        return (line + self.errors.read_text(errors="replace"))[-2000:]


class _Zygote:
    """A process with Django loaded that forks a writer on demand (`bench --fault-zygote`)."""

    def __init__(self, env: dict[str, str], scratch: Path) -> None:
        self.env = env
        self.scratch = scratch
        self.count = 0

    def __enter__(self) -> "_Zygote":
        argv = [sys.executable, "-m", "tracelot.cli", "bench", "--fault-zygote"]
        self.process: Any = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            argv, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=READY_TIMEOUT)

    def fork(self, check: Path | None, write: Path | None, seed: int) -> _Writer:
        self.count += 1
        talk, hear, errors = (
            self.scratch / f"{name}-{self.count}" for name in ("in", "out", "err")
        )
        os.mkfifo(talk)
        os.mkfifo(hear)
        order = {"check": str(check or ""), "write": str(write or ""), "seed": seed,
                 "talk": str(talk), "hear": str(hear), "errors": str(errors)}  # fmt: skip
        self.process.stdin.write(json.dumps(order) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the zygote did not fork: {line[-2000:]}")
        return _Writer(int(line), talk, hear, errors)


def fault_zygote() -> None:
    """The zygote's side: fork a writer for each order read, until stdin closes.

    A child never returns here: it runs its trial and leaves with os._exit.
    """
    from django.db import connections

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the killed writers
    connections.close_all()  # each writer opens its own
    for line in sys.stdin:
        order = json.loads(line)
        pid = os.fork()
        if pid:
            print(pid, flush=True)
            continue
        status = 1
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            sys.stdin = open(order["talk"])  # noqa: SIM115 - for the rest of this process
            sys.stdout = open(order["hear"], "w")  # noqa: SIM115
            errors = os.open(order["errors"], os.O_WRONLY | os.O_CREAT, 0o600)
            os.dup2(errors, 2)
            fault_child(check=order["check"] or None, write=order["write"] or None,
                        seed=order["seed"])  # fmt: skip
            status = 0
        except BaseException:  # the writer's own stderr says what
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            os._exit(status)


def fault_child(*, check: str | None, write: str | None, seed: int) -> None:
    """The child's side: wait for "go" (the trial before is killed by then), check what it
    left, then write until killed."""
    sys.stdin.readline()
    if check:
        result = fault_check(Path(check))
        print(json.dumps({**result.__dict__, "ok": result.ok}), flush=True)
    if write:
        fault_write(Path(write), seed)
