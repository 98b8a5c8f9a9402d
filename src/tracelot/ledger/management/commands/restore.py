"""`tracelot restore DIRECTORY`: a backup back into an empty database, then verified."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils.translation import gettext

from tracelot.core.commands import TracelotCommand
from tracelot.ledger.backups import backup_restore


class Command(TracelotCommand):
    help = (
        "Restore a backup made by `tracelot backup` into the configured database, which must "
        "hold no events, then verify it against the backup's checkpoint."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", help="The backup's directory.")
        parser.add_argument(
            "--no-verify", action="store_true", help="Do not run tracelot verify afterwards."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        manifest = backup_restore(directory)
        self.stdout.write(
            gettext("Restored the backup made at %(when)s.") % {"when": manifest["made_at"][:19]},
            style_func=self.style.SUCCESS,
        )
        if not options["no_verify"]:
            call_command(
                "verify", "--checkpoints", str(directory), stdout=self.stdout, stderr=self.stderr
            )
