"""Work that must not slow the request that causes it, done by `tracelot worker`.

The queue is django-q2's, kept in this database (no other service, SQLite included): a job is
a row written on the caller's transaction, so a request that rolls back leaves no job, and
one that commits leaves its job for the worker even if the server dies a moment later. A
worker killed in the middle of a job hands it out again after TRACELOT_JOB_RETRY_SECONDS:
every handler is safe to run twice. A job that fails is tried again after a back-off that
doubles each time (job_backoff), up to TRACELOT_JOB_ATTEMPTS tries. Schedules (the daily integrity check, checkpoints) are
rows too, shown and changed in the admin; `jobs_schedule_sync` only adds the missing ones.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

# django_q's models are imported where used: apps' configs import this module (schedules).


def job_enqueue(
    func: Callable[..., Any] | str,
    *args: Any,
    name: str | None = None,
    watched: bool = False,
    keep: bool = True,
) -> str:
    """Queue `func(*args)` for the worker, on the caller's transaction; the job's id.

    A job not to `keep` leaves no result row when it succeeds (many small ones: deliveries);
    a failure is kept all the same. A `watched` job (a page shows that it waits or runs: the audit page's verification) is
    also noted in a row of its own, found by `jobs_waiting` without reading the queue."""
    from django_q.tasks import async_task

    from tracelot.core.models import WatchedJob

    options: dict[str, Any] = {"task_name": name} if name else {}
    if not keep:
        options["save"] = False
    if watched:
        options["hook"] = "tracelot.core.jobs.job_watch_end"
    job_id = str(async_task(func, *args, q_options=options))
    if watched and name:
        WatchedJob.objects.create(name=name, job_id=job_id, args=list(args))
    return job_id


def jobs_waiting(name: str) -> list[tuple[Any, ...]]:
    """The arguments of each watched job called `name` that waits or runs (not finished).

    The queue's rows are signed pickles, costly to read when thousands of alerts wait; the
    watched jobs' own rows are few and indexed. A job whose end was not noted (its worker
    died between saving the result and calling the hook) is found finished by its result."""
    from django_q.models import OrmQ, Task

    from tracelot.core.models import WatchedJob

    watched = list(WatchedJob.objects.filter(name=name))
    if not watched or not OrmQ.objects.exists():
        return []  # a job waiting or running keeps its queue row until it ends
    ended = set(
        Task.objects.filter(id__in=[job.job_id for job in watched], success=True).values_list(
            "id", flat=True
        )
    )
    return [tuple(job.args) for job in watched if job.job_id not in ended]


def job_watch_end(task: Any) -> None:
    """django-q's hook after each try of a watched job: it ended when it succeeded or has no
    tries left."""
    from django_q.conf import Conf

    from tracelot.core.models import WatchedJob

    if task.success or (Conf.MAX_ATTEMPTS and task.attempt_count >= Conf.MAX_ATTEMPTS):
        WatchedJob.objects.filter(job_id=task.id).delete()


LONGEST_BACKOFF = timedelta(hours=1)


def job_backoff(failures: int) -> timedelta:
    """How long a job waits after its `failures`-th failure: TRACELOT_JOB_BACKOFF_SECONDS,
    then twice as long each time, an hour at most."""
    from django.conf import settings

    first = timedelta(seconds=settings.TRACELOT_JOB_BACKOFF_SECONDS)
    return min(first * 2 ** (failures - 1), LONGEST_BACKOFF)


def job_failed(sender: Any, func: Any, task: dict[str, Any], **kwargs: Any) -> None:
    """After a job failed in the worker, hand it out again only after its back-off (django-q
    alone would after the fixed TRACELOT_JOB_RETRY_SECONDS meant for a worker that died)."""
    from django_q.models import OrmQ, Task

    if task.get("success") or not task.get("ack_id"):
        return
    before = Task.objects.filter(id=task["id"]).values_list("attempt_count", flat=True).first()
    wait = job_backoff((before or 0) + 1)
    OrmQ.objects.filter(pk=task["ack_id"]).update(lock=timezone.now() + wait)


FAILURES_KEPT = timedelta(days=90)


def cleanup_job() -> str:
    """What is no longer needed: expired sign-in sessions, the marks of watched jobs that
    ended long ago, failed jobs older than FAILURES_KEPT (their deliveries and checks keep
    their own records)."""
    from django.contrib.sessions.models import Session
    from django_q.models import Failure

    from tracelot.core.models import WatchedJob

    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    marks, _ = WatchedJob.objects.filter(asked_at__lt=now - timedelta(days=7)).delete()
    failures, _ = Failure.objects.filter(stopped__lt=now - FAILURES_KEPT).delete()
    return f"{sessions} sessions, {marks} job marks, {failures} failed jobs removed"


@dataclass(frozen=True)
class Scheduled:
    """A job the plant runs on a schedule, as first set up; the admin may change it after."""

    name: str
    func: str
    every_minutes: int | None = None  # else daily at `at`; 0: not scheduled
    at: time | None = None


def daily_at(text: str) -> time:
    """A time of day from a setting such as "06:00"."""
    return time.fromisoformat(text)


def app_schedules() -> list[Scheduled]:
    """Every installed app's schedules (an AppConfig's `schedules`)."""
    from django.apps import apps

    return [job for config in apps.get_app_configs() for job in getattr(config, "schedules", [])]


def next_at(at: time, now: datetime | None = None) -> datetime:
    """The next time of day `at` in the plant's time zone, after `now`."""
    now = timezone.localtime(now)
    candidate = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + timedelta(days=1)


def jobs_schedule_sync(wanted: Iterable[Scheduled]) -> list[str]:
    """Add each wanted schedule that is missing (by name); never change one the plant has
    edited in the admin. Returns the names added."""
    from django_q.models import Schedule

    added = []
    for job in wanted:
        if Schedule.objects.filter(name=job.name).exists():
            continue
        if job.every_minutes is not None and job.every_minutes <= 0:
            continue  # turned off by its setting
        if job.every_minutes:
            Schedule.objects.create(
                name=job.name,
                func=job.func,
                schedule_type=Schedule.MINUTES,
                minutes=job.every_minutes,
                next_run=timezone.now() + timedelta(minutes=1),
            )
        elif job.at is not None:
            Schedule.objects.create(
                name=job.name,
                func=job.func,
                schedule_type=Schedule.DAILY,
                next_run=next_at(job.at),
            )
        added.append(job.name)
    return added
