from datetime import time
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tracelot.core.jobs import Scheduled


class CoreConfig(AppConfig):
    name = "tracelot.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django_q.signals import post_execute_in_worker

        from tracelot.core.jobs import job_failed

        post_execute_in_worker.connect(job_failed, dispatch_uid="tracelot.core.job_failed")

    @property
    def schedules(self) -> list["Scheduled"]:
        """The nightly clean-up (core.jobs.cleanup_job)."""
        from tracelot.core.jobs import Scheduled

        return [Scheduled("core: nightly clean-up", "tracelot.core.jobs.cleanup_job",
                          at=time(3, 0))]  # fmt: skip
