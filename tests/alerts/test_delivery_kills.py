"""Alerts delivered by a real `tracelot worker` to a real local receiver while the worker is
killed with SIGKILL and the receiver is stopped mid-delivery: each delivery arrives at least
once with its delivery id and signature, and the database ends with every one delivered."""

import json
import subprocess
import sys

from tracelot.bench.alerts import delivery_under_kills


def _in(env: dict[str, str], code: str) -> str:
    done = subprocess.run([sys.executable, "-m", "tracelot.cli", "shell", "-c", code], env=env,
                          check=True, capture_output=True, text=True)  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def test_no_delivery_is_lost_when_the_worker_or_the_receiver_is_killed(worker_database):
    env = worker_database
    _in(env, "from tracelot.plants.models import Site\n"
             "Site.objects.create(code='S1', name='Plant One'); print('ok')")  # fmt: skip

    def raise_alerts(count: int, url: str, tag: str) -> list[str]:
        code = (
            "import json\nfrom tracelot.bench.alerts import alerts_raise\n"
            f"print(json.dumps(alerts_raise(count={count}, url={url!r}, tag={tag!r})))"
        )
        return json.loads(_in(env, code))

    state = "import json\nfrom tracelot.bench.alerts import deliveries_state\n"
    state += "print(json.dumps(deliveries_state(tag='KILL')))"

    result = delivery_under_kills(
        env=env, raise_alerts=raise_alerts, count=150,
        settled=lambda: json.loads(_in(env, state)) == {"delivered": 150},
    )  # fmt: skip
    assert result["worker_kills"] == 1
    assert result["receiver_down_s"] >= 3
    assert (result["missing"], result["bad_signatures"]) == (0, 0)
    assert json.loads(_in(env, state)) == {"delivered": 150}
