"""The alerts bench end to end on a scratch plant, and its report in words."""

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext

from tracelot.alerts.models import DeliveryStatus
from tracelot.bench.alerts import (
    COST_TARGET_MS,
    KILLS_SHARE,
    PER_MINUTE_TARGET,
    delivery_throughput,
    delivery_under_kills,
)
from tracelot.bench.runner import ScaleDatabase


def _in_plant(plant: ScaleDatabase, step: str, *arguments: str) -> Any:
    """Run one of the bench's steps inside the scratch plant; what it wrote."""
    with tempfile.TemporaryDirectory(prefix="tracelot-alerts-") as scratch:
        out = Path(scratch) / "out.json"
        done = subprocess.run(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "tracelot.cli", "bench", f"--alerts-child={step}",
             f"--out={out}", *arguments],
            env=plant.env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [""])[-1]
            raise CommandError(gettext("The alerts bench failed: %(error)s") % {"error": last})
        return json.loads(out.read_text())


def alerts_bench(plant: ScaleDatabase, *, count: int, say: Callable[[str], Any]) -> dict[str, Any]:
    def raise_alerts(n: int, url: str, tag: str) -> list[str]:
        say(gettext("Raising %(count)s alerts …") % {"count": f"{n:,}"})
        return list(_in_plant(plant, "raise", f"--lots={n}", f"--url={url}", f"--tag={tag}"))

    say(gettext("Recording with and without an alert rule …"))
    cost = _in_plant(plant, "cost")
    delivery = delivery_throughput(env=plant.env(), raise_alerts=raise_alerts, count=count)

    def settled() -> bool:
        return set(_in_plant(plant, "state", "--tag=KILL")) == {"delivered"}

    kills = delivery_under_kills(
        env=plant.env(),
        raise_alerts=raise_alerts,
        count=max(count // KILLS_SHARE, 100),
        settled=settled,
        progress=say,
    )
    kills["database"] = _in_plant(plant, "state", "--tag=KILL")
    return {"database": plant.label, "cost": cost, "delivery": delivery, "kills": kills}


def alerts_render(report: dict[str, Any]) -> str:
    cost, delivery, kills = report["cost"], report["delivery"], report["kills"]
    yes, no = gettext("met"), gettext("NOT met")
    lines = [
        gettext(
            "Recording a failed inspection: %(without)s ms without a rule, %(with)s ms with "
            "one (median of %(runs)s each): %(more)s ms more, target under %(target)s ms: "
            "%(verdict)s."
        ) % {"without": cost["without_ms"], "with": cost["with_rule_ms"], "runs": cost["runs"],
             "more": cost["more_ms"], "target": COST_TARGET_MS,
             "verdict": yes if cost["under_target"] else no},
        gettext(
            "Delivery by one worker: %(alerts)s alerts in %(seconds)s s (%(total)s s with the "
            "worker's start): %(rate)s a minute, target %(target)s: %(verdict)s; %(doubled)s "
            "sent twice, %(bad)s bad signatures."
        ) % {"alerts": f"{delivery['alerts']:,}", "seconds": delivery["seconds"],
             "total": delivery["seconds_with_start"],
             "rate": f"{delivery['per_minute'] or 0:,}", "target": f"{PER_MINUTE_TARGET:,}",
             "verdict": yes if delivery["meets_target"] else no,
             "doubled": delivery["doubled"], "bad": delivery["bad_signatures"]},
        gettext(
            "Kills: %(alerts)s alerts, the worker killed %(kills)s times and the receiver down "
            "%(down)s s: %(missing)s missing, %(doubled)s arrived twice (same delivery id), "
            "in the database %(state)s."
        ) % {"alerts": f"{kills['alerts']:,}", "kills": kills["worker_kills"],
             "down": kills["receiver_down_s"], "missing": kills["missing"],
             "doubled": kills["doubled"],
             "state": ", ".join(f"{n:,} {DeliveryStatus(status).label}"
                               for status, n in kills["database"].items())},
    ]  # fmt: skip
    return "\n".join(lines) + "\n"
