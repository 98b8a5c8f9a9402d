"""`tracelot checkpoint`: write each site's chain head, sealed, outside the database now."""

from typing import Any

from django.utils.translation import gettext

from tracelot.core.commands import TracelotCommand
from tracelot.ledger.checkpoints import checkpoints_write, targets


class Command(TracelotCommand):
    help = (
        "Seal each site's chain head (position, hash, time) with the chain key and send it to "
        "TRACELOT_CHECKPOINT_TO (directories, mailto: addresses, https:// webhooks)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--to",
            nargs="+",
            metavar="TARGET",
            help="Send to these targets instead (a directory, mailto:address, https://url).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = options["to"] or targets()
        taken, failures = checkpoints_write(to=chosen)
        for checkpoint in taken:
            self.stdout.write(
                gettext("Site %(site)s: checkpoint at event %(position)s, %(hash)s.")
                % {
                    "site": checkpoint.site,
                    "position": checkpoint.position,
                    "hash": checkpoint.head_hash[:16],
                },
                style_func=self.style.SUCCESS,
            )
        sent = len(chosen) - len(failures)
        self.stdout.write(gettext("Sent to %(count)s of %(total)s targets.") % {
            "count": sent, "total": len(chosen)})  # fmt: skip
        for failure in failures:
            self.stderr.write(
                gettext("Not delivered: %(failure)s") % {"failure": failure},
                style_func=self.style.ERROR,
            )
        if failures:
            raise SystemExit(1)
