"""`tracelot serve`: a real HTTP server with the start page, the admin and its static files."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
        return response.status, response.read().decode()


@pytest.fixture
def server(tmp_path: Path):
    # Its own embedded database in a temporary folder, whatever the suite runs on.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TRACELOT_DATA_DIR"] = str(tmp_path)
    tracelot = [sys.executable, "-m", "tracelot.cli"]
    subprocess.run([*tracelot, "migrate", "-v0"], env=env, check=True)
    port = _free_port()
    process = subprocess.Popen(
        [*tracelot, "serve", f"127.0.0.1:{port}"], env=env, stdout=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            _get(base + "/admin/login/")
            break
        except OSError:
            time.sleep(0.1)
    yield base, process
    process.terminate()
    process.wait(timeout=10)


def test_serve_answers_the_start_page_the_admin_and_its_styles(server):
    base, _process = server
    status, body = _get(base + "/")
    assert status == 200
    assert "Tracelot" in body
    assert _get(base + "/admin/login/")[0] == 200
    status, css = _get(base + "/static/admin/css/base.css")
    assert status == 200
    assert "body" in css


def test_a_bad_address_is_one_clear_line(tmp_path):
    env = {**os.environ, "TRACELOT_DATA_DIR": str(tmp_path), "TRACELOT_LANGUAGE": "en"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tracelot.cli", "serve", "localhost:http"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Give the address as HOST:PORT, e.g. 127.0.0.1:8000, not localhost:http."
    )


def test_a_busy_port_is_said_in_one_line_without_a_traceback(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TRACELOT_DATA_DIR"] = str(tmp_path)
    env["TRACELOT_LANGUAGE"] = "en"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tracelot.cli", "serve", f"127.0.0.1:{port}"],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode != 0
    assert f"Cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = []
    for child in children.read_text().split() if children.exists() else []:
        if b"worker" in Path(f"/proc/{child}/cmdline").read_bytes():
            found.append(int(child))
    return found


def test_serve_runs_the_background_worker_and_stops_it_with_itself(server):
    _base, process = server
    workers = _workers_of(process.pid)
    assert len(workers) == 1
    process.terminate()  # what a service manager does to stop it
    process.wait(timeout=40)
    for _ in range(100):
        if not Path(f"/proc/{workers[0]}").exists():
            break
        time.sleep(0.1)
    assert not Path(f"/proc/{workers[0]}").exists()
