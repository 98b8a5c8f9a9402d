"""`tracelot serve`: serve the web app with a production WSGI server (waitress), with the
background worker beside it."""

import signal
import subprocess
import sys
from contextlib import suppress
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.utils.translation import gettext

from tracelot.core.commands import TracelotCommand


class Command(TracelotCommand):
    help = "Serve Tracelot over HTTP (default 127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker beside the server (run `tracelot worker`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = options["addrport"].rpartition(":")
        if not port.isdigit():
            raise CommandError(
                gettext("Give the address as HOST:PORT, e.g. 127.0.0.1:8000, not %(value)s.")
                % {"value": options["addrport"]}
            )
        host = host or "127.0.0.1"
        from django.core.servers.basehttp import get_internal_wsgi_application
        from waitress.server import create_server

        try:
            application = get_internal_wsgi_application()  # WSGI_APPLICATION, as in production
        except ImproperlyConfigured as error:  # e.g. the public secret key: say why, plainly
            raise CommandError(str(error.__cause__ or error)) from None
        try:
            server = create_server(
                application, host=host, port=int(port), threads=options["threads"], ident="Tracelot"
            )
        except OSError as error:
            # Most often another program (or a Tracelot already running) has the port.
            raise CommandError(
                gettext("Cannot serve on %(host)s:%(port)s: %(reason)s.")
                % {"host": host, "port": port, "reason": error.strerror or error}
            ) from None
        worker = None if options["no_worker"] else _worker_start()
        signal.signal(signal.SIGTERM, _stop)  # a service manager's stop: the worker too
        self.stdout.write(
            gettext("Tracelot is serving on http://%(host)s:%(port)s/ (Ctrl+C stops it).")
            % {"host": host, "port": port}
        )
        try:
            with suppress(KeyboardInterrupt):  # Ctrl+C: stop quietly
                server.run()
        finally:
            if worker is not None:
                _worker_stop(worker)


def _stop(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _worker_start() -> subprocess.Popen[bytes]:
    """The background worker beside the server, stopped with it (Ctrl+C reaches both)."""
    return subprocess.Popen([sys.executable, "-m", "tracelot.cli", "worker"])


def _worker_stop(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()  # the worker finishes its job in hand; an unfinished one is handed out again
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
