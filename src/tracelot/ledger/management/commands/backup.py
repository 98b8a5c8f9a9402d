"""`tracelot backup DIRECTORY`: a consistent copy of the database with a sealed checkpoint."""

from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from tracelot.core.commands import TracelotCommand
from tracelot.ledger.backups import backup_write


class Command(TracelotCommand):
    help = (
        "Write a consistent copy of the database (SQLite's online backup, or pg_dump) with "
        "each site's chain head and a sealed checkpoint into a new directory."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", help="A new (or empty) directory for the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = backup_write(Path(options["directory"]))
        heads = ", ".join(f"{site} @ {position}" for site, position in sorted(report.heads.items()))
        self.stdout.write(
            gettext(
                "Backup of the %(engine)s database in %(path)s (%(size)s MB); chain heads: %(heads)s."
            )
            % {
                "engine": report.engine,
                "path": report.directory,
                "size": round(report.size / 1_000_000, 1),
                "heads": heads or "—",
            },
            style_func=self.style.SUCCESS,
        )
        self.stdout.write(
            gettext(
                "Keep the chain key file apart from it. After a restore: "
                "tracelot verify --checkpoints %(path)s"
            )
            % {"path": report.directory}
        )
