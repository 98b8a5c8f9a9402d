"""`tracelot serve`: serve the web app with a production WSGI server (waitress)."""

from typing import Any

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
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        application = get_wsgi_application()  # as config.wsgi gives production servers

        self.stdout.write(
            gettext("Tracelot is serving on http://%(host)s:%(port)s/ (Ctrl+C stops it).")
            % {"host": host, "port": port}
        )
        serve(application, host=host, port=int(port), threads=options["threads"], ident="Tracelot")
