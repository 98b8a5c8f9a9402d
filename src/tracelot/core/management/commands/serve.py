"""`tracelot serve`: serve the web app (admin and start page) on 127.0.0.1:8000."""

from typing import Any

from django.core.management import call_command

from tracelot.core.commands import TracelotCommand


class Command(TracelotCommand):
    help = "Serve Tracelot over HTTP (default 127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        # Static files of the admin are served by the app itself: a plant PC has no web server.
        call_command("runserver", options["addrport"], use_reloader=False, insecure_serving=True)
