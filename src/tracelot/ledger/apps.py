from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tracelot.core.jobs import Scheduled, daily_at


class LedgerConfig(AppConfig):
    name = "tracelot.ledger"
    verbose_name = _("Ledger")

    @property
    def schedules(self) -> list[Scheduled]:
        """The jobs `tracelot worker` runs for the ledger, as first set up (core.jobs)."""
        return [
            Scheduled(
                "ledger: daily integrity check",
                "tracelot.ledger.jobs.integrity_check_job",
                at=daily_at(settings.TRACELOT_DAILY_CHECK_AT),
            ),
            Scheduled(
                "ledger: checkpoints",
                "tracelot.ledger.jobs.checkpoints_job",
                every_minutes=settings.TRACELOT_CHECKPOINT_MINUTES,
            ),
        ]
