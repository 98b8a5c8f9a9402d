"""Sending the deliveries of alerts: by e-mail in the recipient's language, or to a webhook
(Tracelot's signed JSON, a WeCom or a DingTalk robot). Run by the background worker, never
in the request that raised the alert.

A delivery is a row; the worker claims the due ones a batch at a time (SKIP LOCKED where the
database has it), sends the batch's posts side by side and writes every attempt and answer
in one transaction. A failed one is due again later with exponential back-off, with the
same delivery id, until it is delivered or MAX_ATTEMPTS have failed; a schedule sweeps the
due retries every minute. A worker killed mid-batch leaves its claims to expire, and the
next run sends them again: delivered twice at worst, never lost."""

import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import translation

from tracelot.alerts.models import Delivery, DeliveryAttempt, DeliveryStatus, WebhookKind
from tracelot.alerts.payloads import (
    dingtalk_body,
    dingtalk_signed_url,
    robot_accepted,
    tracelot_body,
    tracelot_signature,
    wecom_body,
)
from tracelot.alerts.texts import alert_message
from tracelot.core import clock
from tracelot.core.jobs import job_enqueue

MAX_ATTEMPTS = 8
LONGEST_WAIT = timedelta(hours=1)
TIMEOUT_SECONDS = 10
ANSWER_KEPT = 2000
BATCH = 50  # deliveries claimed and written at once
SENDERS = 8  # posts under way at once (a slow receiver does not hold up the others)

Outcome = tuple[int | None, str, bool, float]  # HTTP status, answer, delivered, seconds


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: TRACELOT_ALERT_RETRY_SECONDS
    (30) after the first, then twice as long each time, an hour at most."""
    first = timedelta(seconds=settings.TRACELOT_ALERT_RETRY_SECONDS)
    return min(first * 2 ** (attempts - 1), LONGEST_WAIT)


def deliveries_send() -> int:
    """Send the deliveries that are due, a batch at a time; how many were tried. A job ends
    well within the worker's time limit: a backlog left over is a new job's."""
    tried, stop_at = 0, time.monotonic() + settings.TRACELOT_JOB_TIMEOUT_SECONDS / 3
    while batch := _claim(_due()):
        _send(batch)
        tried += len(batch)
        if time.monotonic() > stop_at:
            job_enqueue(deliveries_send, name="alerts: delivery", keep=False)
            break
    return tried


def deliver(delivery_id: int) -> str:
    """Try one delivery now, due or not (unless delivered or given up); its status after."""
    batch = _claim(Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING))
    if batch:
        _send(batch)
    return Delivery.objects.get(pk=delivery_id).status


def _due() -> QuerySet[Delivery]:
    now = clock.now()
    return Delivery.objects.filter(
        Q(next_at__isnull=True) | Q(next_at__lte=now),
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        status=DeliveryStatus.PENDING,
    )


def _claim(candidates: QuerySet[Delivery]) -> list[Delivery]:
    """Claim up to BATCH of `candidates` for as long as a job may run: another worker skips
    them, and a killed worker's claims expire so that the next run sends them."""
    until = clock.now() + timedelta(seconds=settings.TRACELOT_JOB_TIMEOUT_SECONDS)
    with transaction.atomic():  # IMMEDIATE on SQLite: one claimer at a time
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.order_by("next_at", "pk").values_list("pk", flat=True)[:BATCH])
        Delivery.objects.filter(pk__in=ids).update(claimed_until=until)
    return list(
        Delivery.objects.filter(pk__in=ids).select_related(
            "webhook", "alert__site", "alert__line", "alert__shift", "alert__responsible",
            "alert__incident", "alert__step",
        ).prefetch_related("alert__lots").order_by("pk")
    )  # fmt: skip


def _send(batch: list[Delivery]) -> None:
    """Post the batch side by side, then write each attempt and outcome in one transaction."""
    posts = [_prepared(delivery) for delivery in batch]  # reads the database: this thread
    with ThreadPoolExecutor(max_workers=min(SENDERS, len(posts))) as pool:
        outcomes = list(pool.map(_attempt, posts))
    now = clock.now()
    # One UPDATE per kind of outcome, not one per delivery: a batch is written at once.
    delivered, given_up, again = [], [], defaultdict(list)
    for delivery, (_status, _answer, ok, _seconds) in zip(batch, outcomes, strict=True):
        tries = delivery.attempts + 1
        if ok:
            delivered.append(delivery.pk)
        elif tries >= MAX_ATTEMPTS:
            given_up.append(delivery.pk)
        else:
            again[now + backoff(tries)].append(delivery.pk)
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery=delivery, at=now, status_code=status, ok=ok,
                            answer=answer[:ANSWER_KEPT], seconds=round(seconds, 3))
            for delivery, (status, answer, ok, seconds) in zip(batch, outcomes, strict=True)
        )  # fmt: skip
        tried = {"attempts": F("attempts") + 1, "claimed_until": None}
        Delivery.objects.filter(pk__in=delivered).update(
            status=DeliveryStatus.DELIVERED, delivered_at=now, next_at=None, **tried
        )
        Delivery.objects.filter(pk__in=given_up).update(
            status=DeliveryStatus.FAILED, next_at=None, **tried
        )
        for next_at, ids in again.items():
            Delivery.objects.filter(pk__in=ids).update(next_at=next_at, **tried)


def _attempt(post: Callable[[], tuple[int | None, str, bool]]) -> Outcome:
    started = time.perf_counter()
    try:
        status, answer, ok = post()
    except (OSError, ValueError) as error:  # refused, timed out, no route, bad address
        status, answer, ok = None, f"{type(error).__name__}: {error}", False
    return status, answer, ok, time.perf_counter() - started


def _prepared(delivery: Delivery) -> Callable[[], tuple[int | None, str, bool]]:
    """What to send, worded and signed now; the returned call only talks to the network."""
    message = alert_message(delivery.alert, delivery.language)
    if delivery.webhook is None:
        with translation.override(delivery.language):
            body = "\n".join([*message.lines, "", f"{message.link_text}: {message.link}"])
        mail = EmailMessage(subject=message.title, body=body, to=[delivery.email])

        def send_mail() -> tuple[int | None, str, bool]:
            sent = mail.send()
            return None, "sent" if sent else "not sent", bool(sent)

        return send_mail
    webhook = delivery.webhook
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Tracelot"}
    url = webhook.url
    if webhook.kind == WebhookKind.WECOM:
        data = wecom_body(message)
    elif webhook.kind == WebhookKind.DINGTALK:
        data = dingtalk_body(message)
        url = dingtalk_signed_url(url, webhook.secret, int(time.time() * 1000))
    else:
        data = tracelot_body(_tracelot_payload(delivery, message))
        headers["X-Tracelot-Delivery"] = str(delivery.delivery_id)
        if webhook.secret:
            headers["X-Tracelot-Signature"] = tracelot_signature(webhook.secret, data)
    robot = webhook.kind in (WebhookKind.WECOM, WebhookKind.DINGTALK)

    def post() -> tuple[int | None, str, bool]:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                status, answer = response.status, response.read(ANSWER_KEPT)
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read(ANSWER_KEPT)
        text = answer.decode("utf-8", "replace")
        if robot:
            return status, text, robot_accepted(status, answer)
        return status, text, 200 <= status < 300

    return post


def _tracelot_payload(delivery: Delivery, message: object) -> dict[str, object]:
    alert = delivery.alert
    return {
        "delivery": str(delivery.delivery_id),
        "alert": {
            "id": alert.pk,
            "condition": alert.condition,
            "raised_at": alert.raised_at.isoformat(),
            "site": alert.site.code,
            "title": getattr(message, "title", ""),
            "lines": getattr(message, "lines", []),
            "lots": sorted(lot.code for lot in alert.lots.all()),
            "step": alert.step_id,
            "line": alert.line.code if alert.line else None,
            "shift": alert.shift.code if alert.shift else None,
            "responsible": alert.responsible.display_name if alert.responsible else None,
            "incident": alert.incident.number if alert.incident else None,
            "link": getattr(message, "link", ""),
        },
    }
