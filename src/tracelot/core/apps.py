from datetime import time
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tracelot.core.jobs import Scheduled


class CoreConfig(AppConfig):
    name = "tracelot.core"
    verbose_name = _("Core")

    @property
    def schedules(self) -> list["Scheduled"]:
        """The nightly clean-up (core.jobs.cleanup_job)."""
        from tracelot.core.jobs import Scheduled

        return [Scheduled("core: nightly clean-up", "tracelot.core.jobs.cleanup_job",
                          at=time(3, 0))]  # fmt: skip
