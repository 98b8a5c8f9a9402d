"""`tracelot worker`: run the background jobs and the schedules (core.jobs) until stopped."""

import signal
import time
from typing import Any

from django.utils.translation import gettext

from tracelot.core.commands import TracelotCommand
from tracelot.core.jobs import app_schedules, jobs_schedule_sync


class Command(TracelotCommand):
    help = (
        "Run the background worker: alerts, e-mails, webhooks, scheduled checks and long "
        "exports, from the jobs table in this database. `tracelot serve` starts one."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from django_q.cluster import Cluster

        for name in jobs_schedule_sync(app_schedules()):
            self.stdout.write(gettext("Scheduled: %(name)s") % {"name": name})
        # This process stays in front and stops the cluster when told to (SIGTERM, Ctrl+C):
        # the job in hand is finished, or handed out again later. The cluster's own signal
        # handler stops it from inside the handler, which can deadlock on its locks; here
        # the handler only notes the request.
        cluster = Cluster()
        cluster.start()
        stopping: list[int] = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda number, _frame: stopping.append(number))
        self.stdout.write(gettext("Background worker running (Ctrl+C stops it)."))
        while not stopping and cluster.sentinel is not None and cluster.sentinel.is_alive():
            time.sleep(0.2)
        cluster.stop()
