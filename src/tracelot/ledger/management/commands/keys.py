"""`tracelot keys`: the chain keys that seal the ledger; `--rotate` adds a new one."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.utils.translation import gettext

from tracelot.core.chainkeys import keyring, keyring_rotate
from tracelot.core.commands import TracelotCommand


class Command(TracelotCommand):
    help = (
        "List the chain keys (ids only, never the secrets); --rotate adds a new key that seals "
        "new events from now on, keeping the old ones to verify older events."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rotate", action="store_true", help="Add a new key and use it.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["rotate"]:
                key = keyring_rotate()
                self.stdout.write(
                    gettext("New chain key %(id)s: new events are sealed with it.")
                    % {"id": key.id},
                    style_func=self.style.SUCCESS,
                )
            ring = keyring()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(gettext("Chain keys from %(source)s:") % {"source": ring.source})
        for key in ring.keys:
            current = gettext(" (seals new events)") if key is ring.current else ""
            self.stdout.write(f"  {key.id}{current}")
