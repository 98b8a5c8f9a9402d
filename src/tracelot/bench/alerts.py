"""`tracelot bench --alerts N`: what alerts cost the request that causes them, how many one
worker delivers to a webhook in a minute, and that none is lost when the worker or the
receiver is killed mid-delivery (each arrives at least once, with its delivery id).

The parent runs a local receiver (a real HTTP server checking each signature) and real
`tracelot worker` processes against a scratch plant; what must happen inside the plant's
database (recording, raising alerts) runs in child processes with that plant's environment.
"""

import hashlib
import hmac
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tracelot.bench.timing import timed

COST_RUNS = 300  # inspections recorded with and without a rule, alternately
COST_TARGET_MS = 2.0  # the most a rule may add to the request (median)
PER_MINUTE_TARGET = 10_000  # alerts one worker delivers in a minute, on SQLite
SECRET = "bench-secret"  # noqa: S105 - the scratch receiver's own, checked by it
KILLS_SHARE = 5  # the kill trial delivers N / KILLS_SHARE alerts
WAIT_SECONDS = 900  # longest wait for every delivery to arrive

# -- inside the scratch plant (a child process) ------------------------------------------------


def measure_alert_cost(*, runs: int = COST_RUNS) -> dict[str, Any]:
    """Record a failed inspection `runs` times with no rule and `runs` times with a rule for
    it, alternately, and compare the medians: the rule adds one queued job to the request."""
    from django_q.models import OrmQ

    from tracelot.alerts.models import AlertRule, Condition
    from tracelot.ledger import services
    from tracelot.lots.models import Lot, LotStatus
    from tracelot.plants.models import Operator

    AlertRule.objects.update(active=False)  # the scratch plant's own demo rules
    rule = AlertRule.objects.create(code="BENCH-COST", name="Bench",
                                    condition=Condition.INSPECTION_FAILED, active=False)  # fmt: skip
    lot = Lot.objects.filter(status=LotStatus.RELEASED).order_by("pk").first()
    operator = Operator.objects.filter(site=lot.site).order_by("pk").first() if lot else None
    if lot is None or operator is None:
        raise RuntimeError("The scratch plant has no released lot and operator.")
    seconds: dict[bool, list[float]] = {False: [], True: []}
    for n in range(2 * runs):
        with_rule = n % 2 == 1
        AlertRule.objects.filter(pk=rule.pk).update(active=with_rule)
        took, _event = timed(services.lot_inspect, lot=lot, characteristic="BENCH",
                             passed=False, actor=operator, key=f"bench-cost-{n}")  # fmt: skip
        seconds[with_rule].append(took)
    queued = OrmQ.objects.count()
    OrmQ.objects.all().delete()  # the jobs the rule queued: not part of the delivery trial
    rule.delete()
    without = statistics.median(seconds[False]) * 1000
    with_rule_ms = statistics.median(seconds[True]) * 1000
    return {
        "runs": runs,
        "without_ms": round(without, 3),
        "with_rule_ms": round(with_rule_ms, 3),
        "more_ms": round(with_rule_ms - without, 3),
        "jobs_queued": queued,
        "under_target": with_rule_ms - without < COST_TARGET_MS,
    }


def alerts_raise(*, count: int, url: str, tag: str) -> list[str]:
    """Raise `count` alerts of a rule with one signed webhook at `url`; their delivery ids,
    each queued for the worker as a real alert's is."""
    from django.db import transaction

    from tracelot.alerts.models import AlertRule, Condition, Delivery, Webhook, WebhookKind
    from tracelot.alerts.raising import alert_raise
    from tracelot.lots.models import Lot
    from tracelot.plants.models import Site

    webhook = Webhook.objects.create(name=f"bench {tag}", kind=WebhookKind.TRACELOT, url=url,
                                     secret=SECRET, language="en")  # fmt: skip
    rule = AlertRule.objects.create(
        code=f"BENCH-{tag}",
        name=f"Bench {tag}",
        condition=Condition.INSPECTION_FAILED,
        to_responsible=False,
        active=False,
    )  # raised here, not by inspections
    rule.webhooks.add(webhook)
    lots = list(Lot.objects.select_related("site").order_by("pk")[:50])
    site = Site.objects.order_by("pk").first()
    if site is None:
        raise RuntimeError("The scratch plant has no site.")
    for n in range(count):
        lot = lots[n % len(lots)] if lots else None
        with transaction.atomic():
            alert_raise(rule=rule, key=f"bench:{tag}:{n}", site=lot.site if lot else site,
                        lots=[lot] if lot else [],
                        detail={"lot": lot.code if lot else "", "failed": []})  # fmt: skip
    return [str(d) for d in Delivery.objects.filter(alert__rule=rule).values_list(
        "delivery_id", flat=True)]  # fmt: skip


def deliveries_state(*, tag: str) -> dict[str, int]:
    """How the deliveries of the `tag` rule stand in the database."""
    from django.db.models import Count

    from tracelot.alerts.models import Delivery

    rows = Delivery.objects.filter(alert__rule__code=f"BENCH-{tag}").values("status")
    return {row["status"]: row["n"] for row in rows.annotate(n=Count("pk"))}


# -- the parent: a receiver, workers started and killed ----------------------------------------


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections when the worker posts 8 at once, and a
    # dropped SYN is sent again only after a second: the bench would time TCP, not Tracelot.
    request_queue_size = 128


class Receiver:
    """A local webhook receiver: checks each signature, answers 200, counts delivery ids."""

    def __init__(self) -> None:
        self.arrivals: Counter[str] = Counter()
        self.bad_signatures = 0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                receiver.arrived(self.headers.get("X-Tracelot-Delivery", ""),
                                 hmac.compare_digest(expected,
                                                     self.headers.get("X-Tracelot-Signature", "")))  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = Server(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def arrived(self, delivery_id: str, signed: bool) -> None:
        with self._lock:
            now = time.perf_counter()
            self.first_at = self.first_at or now
            self.last_at = now
            self.arrivals[delivery_id] += 1
            self.bad_signatures += not signed

    def received(self, ids: set[str]) -> int:
        with self._lock:
            return sum(1 for delivery_id in ids if delivery_id in self.arrivals)


@dataclass
class Workers:
    """`tracelot worker` processes on the scratch plant, each in its own process group."""

    env: dict[str, str]
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> None:
        self.started.append(subprocess.Popen(
            [sys.executable, "-m", "tracelot.cli", "worker"], env=self.env,
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))  # fmt: skip

    def kill(self) -> None:
        """SIGKILL to every worker's whole group, as a power cut would."""
        for worker in self.started:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
        self.started.clear()


def worker_env(env: dict[str, str]) -> dict[str, str]:
    """One worker process; a killed job handed out again after seconds, not half an hour;
    a failed delivery tried again after a second (then 2, 4 …)."""
    return {**env, "TRACELOT_WORKERS": "1", "TRACELOT_JOB_TIMEOUT_SECONDS": "20",
            "TRACELOT_JOB_RETRY_SECONDS": "25", "TRACELOT_JOB_POLL_SECONDS": "0.05",
            "TRACELOT_ALERT_RETRY_SECONDS": "1", "TRACELOT_CHECKPOINT_MINUTES": "0"}  # fmt: skip


def wait_until(
    condition: Callable[[], bool], seconds: float = WAIT_SECONDS, every: float = 0.05
) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def delivery_throughput(
    *, env: dict[str, str], raise_alerts: Callable[[int, str, str], list[str]], count: int
) -> dict[str, Any]:
    """`count` alerts raised, then one worker started: how fast they arrive."""
    receiver = Receiver()
    receiver.start()
    workers = Workers(worker_env(env))
    try:
        ids = set(raise_alerts(count, receiver.url, "RATE"))
        started = time.perf_counter()
        workers.start()
        arrived = wait_until(lambda: receiver.received(ids) == len(ids))
        total = time.perf_counter() - started
    finally:
        workers.kill()
        receiver.stop()
    steady = (receiver.last_at or 0) - (receiver.first_at or 0)
    per_minute = round((len(ids) - 1) / steady * 60) if steady > 0 else None
    return {
        "alerts": len(ids),
        "all_arrived": arrived,
        "seconds_with_start": round(total, 1),
        "seconds": round(steady, 1),
        "per_minute": per_minute,
        "doubled": sum(n - 1 for n in receiver.arrivals.values() if n > 1),
        "bad_signatures": receiver.bad_signatures,
        "meets_target": bool(arrived and per_minute and per_minute >= PER_MINUTE_TARGET),
    }


def delivery_under_kills(
    *,
    env: dict[str, str],
    raise_alerts: Callable[[int, str, str], list[str]],
    count: int,
    settled: Callable[[], bool],
    progress: Callable[[str], None] = lambda _text: None,
) -> dict[str, Any]:
    """`count` alerts delivered while the worker is killed (SIGKILL) at a third of them and
    the receiver is down for a while at two thirds: every delivery id must arrive, and the
    worker is left running until the database has them all delivered (`settled`)."""
    receiver = Receiver()
    receiver.start()
    workers = Workers(worker_env(env))
    kills, receiver_down = 0, 0.0
    try:
        ids = set(raise_alerts(count, receiver.url, "KILL"))
        workers.start()
        if wait_until(lambda: receiver.received(ids) >= len(ids) // 3, 300):
            workers.kill()
            kills += 1
            progress("worker killed")
            workers.start()
        if wait_until(lambda: receiver.received(ids) >= 2 * len(ids) // 3, 300):
            receiver.stop()
            down = time.perf_counter()
            progress("receiver stopped")
            time.sleep(3)
            receiver.start()  # the same port
            receiver_down = time.perf_counter() - down
        arrived = wait_until(lambda: receiver.received(ids) == len(ids))
        wait_until(settled, 120, every=2)
    finally:
        workers.kill()
        receiver.stop()
    missing = len(ids) - receiver.received(ids)
    return {
        "alerts": len(ids),
        "worker_kills": kills,
        "receiver_down_s": round(receiver_down, 1),
        "missing": missing,
        "doubled": sum(n - 1 for n in receiver.arrivals.values() if n > 1),
        "bad_signatures": receiver.bad_signatures,
        "all_arrived": arrived and missing == 0,
    }
