"""The jobs queue's claim: django-q2's database broker, claiming with `SELECT … FOR UPDATE
SKIP LOCKED` where the database has it (PostgreSQL), so several workers at once neither wait
on each other's rows nor take the same job. SQLite writes one transaction at a time and keeps
django-q2's own claim (an update that succeeds only while the row's lock is unchanged)."""

from datetime import timedelta
from time import sleep
from typing import Any

from django.db import connections, transaction
from django.utils import timezone
from django_q.brokers.orm import ORM
from django_q.conf import Conf


class Jobs(ORM):
    def dequeue(self) -> list[tuple[Any, Any]] | None:
        if not connections[Conf.ORM].features.has_select_for_update_skip_locked:
            return super().dequeue()
        queue = self.get_connection()
        now = timezone.now()
        with transaction.atomic(using=Conf.ORM):
            claimed = list(
                queue.select_for_update(skip_locked=True)
                .filter(key=self.list_key, lock__lt=now)
                .order_by("id")
                .values_list("id", "payload")[: Conf.BULK]
            )
            if claimed:
                queue.filter(id__in=[job_id for job_id, _ in claimed]).update(
                    lock=now + timedelta(seconds=Conf.RETRY)
                )
        if claimed:
            return claimed
        sleep(Conf.POLL)  # an empty queue: spare the processor, as django-q2 does
        return None
