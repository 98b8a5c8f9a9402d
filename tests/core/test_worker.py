"""The background worker: jobs are rows written on the caller's transaction; a real
`tracelot worker` runs them, a worker killed with SIGKILL mid-job loses none (the job is
handed out again), a failing job is tried again and kept with its error, and `tracelot serve`
runs a worker beside itself and stops it with itself."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django_q.models import OrmQ, Schedule

from tracelot.core.jobs import Scheduled, job_enqueue, jobs_schedule_sync, next_at

TRACELOT = [sys.executable, "-m", "tracelot.cli"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_a_job_queued_by_a_request_that_rolls_back_does_not_exist():
    def request_that_fails() -> None:
        with transaction.atomic():
            job_enqueue("tests.core.probe_jobs.probe", "/dev/null", 1, 0)
            raise ZeroDivisionError  # the request fails after queueing

    with pytest.raises(ZeroDivisionError):
        request_that_fails()
    assert not OrmQ.objects.exists()
    with transaction.atomic():
        job_enqueue("tests.core.probe_jobs.probe", "/dev/null", 2, 0)
    assert OrmQ.objects.count() == 1


@pytest.mark.django_db
def test_schedules_are_added_once_and_an_edited_one_is_kept():
    wanted = [
        Scheduled("daily check", "tracelot.ledger.jobs.integrity_check_job", at=clock_time(6)),
        Scheduled("checkpoints", "tracelot.ledger.jobs.checkpoints_job", every_minutes=60),
        Scheduled("off", "tracelot.ledger.jobs.checkpoints_job", every_minutes=0),
    ]
    assert jobs_schedule_sync(wanted) == ["daily check", "checkpoints"]
    daily = Schedule.objects.get(name="daily check")
    assert daily.schedule_type == Schedule.DAILY
    assert daily.next_run.astimezone(SHANGHAI).time() == clock_time(6)
    Schedule.objects.filter(name="daily check").update(next_run=daily.next_run.replace(hour=1))
    assert jobs_schedule_sync(wanted) == []
    assert Schedule.objects.get(name="daily check").next_run.hour == 1


def test_the_next_six_o_clock_is_today_before_it_and_tomorrow_after_it():
    before = datetime(2026, 12, 1, 5, 59, tzinfo=SHANGHAI)
    after = datetime(2026, 12, 1, 6, 0, tzinfo=SHANGHAI)
    assert next_at(clock_time(6), before) == datetime(2026, 12, 1, 6, 0, tzinfo=SHANGHAI)
    assert next_at(clock_time(6), after) == datetime(2026, 12, 2, 6, 0, tzinfo=SHANGHAI)


def _shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [*TRACELOT, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    # Its own process group: SIGKILL reaches the whole cluster, as a power cut would.
    return subprocess.Popen(
        [*TRACELOT, "worker"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_job_loses_no_job(worker_database, tmp_path):
    log = tmp_path / "probe.log"
    _shell(
        worker_database,
        "from tracelot.core.jobs import job_enqueue\n"
        f"for n in range(6): job_enqueue('tests.core.probe_jobs.probe', {str(log)!r}, n, 0.4)",
    )
    worker = _worker(worker_database)
    assert _wait_for(lambda: log.exists() and "start 2" in log.read_text(), 60)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    again = _worker(worker_database)
    try:
        finished = lambda: {f"done {n}" for n in range(6)} <= set(log.read_text().splitlines())  # noqa: E731
        assert _wait_for(finished, 60), log.read_text()
        assert _wait_for(
            lambda: (
                _shell(
                    worker_database, "from django_q.models import OrmQ; print(OrmQ.objects.count())"
                )
                == "0"
            ),
            30,
        )
    finally:
        os.killpg(again.pid, signal.SIGKILL)
        again.wait(timeout=30)


def test_a_failing_job_is_tried_again_and_kept_with_its_error(worker_database):
    _shell(
        worker_database,
        "from tracelot.core.jobs import job_enqueue\n"
        "job_enqueue('tests.core.probe_jobs.fail', 'the receiver is down', name='doomed')",
    )
    worker = _worker(worker_database)
    try:
        failed = (
            "from django_q.models import Failure, OrmQ\n"
            "f = Failure.objects.filter(name='doomed').first()\n"
            "print(f'{f.attempt_count} {OrmQ.objects.count()} {str(f.result).splitlines()[0]}' if f else 'none')"
        )
        assert _wait_for(lambda: _shell(worker_database, failed).startswith("2 0 "), 60)
        assert "the receiver is down" in _shell(worker_database, failed)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


def test_two_workers_at_once_run_each_job_exactly_once(worker_database, tmp_path):
    log = tmp_path / "who.log"
    _shell(
        worker_database,
        "from tracelot.core.jobs import job_enqueue\n"
        f"for n in range(80): job_enqueue('tests.core.probe_jobs.who', {str(log)!r}, n)",
    )
    workers = [_worker(worker_database), _worker(worker_database)]
    try:
        lines = lambda: log.read_text().splitlines() if log.exists() else []  # noqa: E731
        assert _wait_for(lambda: len({line.split()[0] for line in lines()}) == 80, 90)
        time.sleep(1)  # a job run twice would show by now
        ran = [line.split() for line in lines()]
        assert sorted(int(number) for number, _ in ran) == list(range(80))
        if connection.vendor == "postgresql":  # SKIP LOCKED: neither waits for the other
            assert len({pid for _, pid in ran}) >= 2
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_job_another_worker_holds_is_skipped_not_waited_for():
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SQLite writes one transaction at a time: no row locks to skip")
    from django_q.brokers import get_broker

    for n in range(3):
        job_enqueue("tests.core.probe_jobs.probe", "/dev/null", n, 0)
    first, *others = OrmQ.objects.order_by("id").values_list("id", flat=True)
    holder = connection.copy()  # another worker's connection, in the middle of its claim
    try:
        with holder.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT id FROM django_q_ormq WHERE id = %s FOR UPDATE", [first])
            started = time.monotonic()
            claimed = []
            while batch := get_broker().dequeue():
                claimed += [job_id for job_id, _ in batch]
            assert time.monotonic() - started < 3
            assert claimed == others
            cursor.execute("ROLLBACK")
    finally:
        holder.close()
    assert [job_id for job_id, _ in get_broker().dequeue()] == [first]


@pytest.mark.django_db
def test_the_nightly_clean_up_removes_expired_sessions_and_old_failures_only():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django_q.models import Failure

    from tracelot.core.jobs import app_schedules, cleanup_job

    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    for name, days in (("ancient", 100), ("recent", 10)):
        Failure.objects.create(id=name, name=name, func="f", started=now - timedelta(days),
                               stopped=now - timedelta(days), success=False)  # fmt: skip
    assert cleanup_job() == "1 sessions, 0 job marks, 1 failed jobs removed"
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert list(Failure.objects.values_list("name", flat=True)) == ["recent"]
    assert "tracelot.core.jobs.cleanup_job" in {job.func for job in app_schedules()}


@pytest.mark.django_db
def test_a_failed_job_waits_twice_as_long_after_each_failure(settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_q.models import Task

    from tracelot.core.jobs import job_failed

    settings.TRACELOT_JOB_BACKOFF_SECONDS = 60
    job_enqueue("tests.core.probe_jobs.fail", "down")
    queued = OrmQ.objects.get()
    task = {"id": queued.task_id(), "ack_id": queued.pk, "success": False}
    waits = []
    for failures in range(1, 9):
        before = timezone.now()
        job_failed(None, None, task)
        waits.append(round((OrmQ.objects.get().lock - before).total_seconds() / 60))
        Task.objects.update_or_create(id=task["id"], defaults={
            "name": "f", "func": "f", "started": before, "stopped": before, "success": False,
            "attempt_count": failures})  # fmt: skip
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    job_failed(None, None, {**task, "success": True})  # a success changes nothing
    assert timedelta(minutes=59) < OrmQ.objects.get().lock - timezone.now()
