"""`tracelot serve`: serve the web app with a production WSGI server (waitress)."""

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
        self.stdout.write(
            gettext("Tracelot is serving on http://%(host)s:%(port)s/ (Ctrl+C stops it).")
            % {"host": host, "port": port}
        )
        with suppress(KeyboardInterrupt):  # Ctrl+C: stop quietly
            server.run()
