"""`tracelot keys`: the chain keys that seal the ledger; `--rotate` adds a new one."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext

from tracelot.audit.models import AccessRecord, MasterDataChange
from tracelot.audit.trail import trail_adopt
from tracelot.core.chainkeys import keyring, keyring_rotate
from tracelot.core.commands import TracelotCommand
from tracelot.core.errors import Refused
from tracelot.ledger.legacy import ledger_adopt
from tracelot.plants.models import Site


class Command(TracelotCommand):
    help = (
        "List the chain keys (ids only, never the secrets); --rotate adds a new key that seals "
        "new events from now on, keeping the old ones to verify older events."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rotate", action="store_true", help="Add a new key and use it.")
        parser.add_argument(
            "--adopt",
            action="store_true",
            help=(
                "Check the events and audit records an older install wrote before the chain "
                "key, and vouch for them as they are now, sealed with the key."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["adopt"]:
            self._adopt()
            return
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

    def _adopt(self) -> None:
        adopted = 0
        with transaction.atomic():
            for site in Site.objects.order_by("code"):
                try:
                    adoption = ledger_adopt(site=site)
                except Refused as refusal:
                    raise CommandError(str(refusal)) from refusal
                if adoption is not None:
                    adopted += 1
                    self.stdout.write(
                        gettext(
                            "Site %(site)s: events 1 to %(count)s, written before the chain "
                            "key, hold as linked and are adopted."
                        )
                        % {"site": site.code, "count": adoption.count}
                    )
            for model in (MasterDataChange, AccessRecord):
                count = trail_adopt(model)
                if count:
                    adopted += 1
                    self.stdout.write(
                        gettext(
                            "%(trail)s: %(count)s records written before the trail was chained are adopted."
                        )
                        % {"trail": model._meta.verbose_name_plural, "count": count}
                    )
        if not adopted:
            self.stdout.write(gettext("Nothing to adopt: every record is sealed or adopted."))
