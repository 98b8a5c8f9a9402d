"""Fixtures for alerts: the flour inspection plan of the quality tests, a real local HTTP
receiver, and rules that send to it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.quality.conftest import by_code, flour_plan  # noqa: F401 - fixtures used here too


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1: it keeps each request and answers what `answers`
    says next (default 200 {"errcode": 0})."""
    received: list[dict] = []
    answers: list[tuple[int, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status, answer = (
                answers.pop(0) if answers else (200, json.dumps({"errcode": 0}).encode())
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received, answers
    server.shutdown()
