"""Sending one delivery of an alert: by e-mail in the recipient's language, or to a webhook
(Tracelot's signed JSON, a WeCom or a DingTalk robot). Run by the background worker, never
in the request that raised the alert. Every attempt and its answer is kept; a failed one is
tried again later with exponential back-off, with the same delivery id, until it is
delivered or MAX_ATTEMPTS have failed. Delivered twice at worst (a worker killed after
sending), never lost."""

import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.core.mail import EmailMessage
from django.utils import translation
from django_q.models import Schedule

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

MAX_ATTEMPTS = 8
FIRST_WAIT = timedelta(seconds=30)  # then 1, 2, 4 … minutes
LONGEST_WAIT = timedelta(hours=1)
TIMEOUT_SECONDS = 10
ANSWER_KEPT = 2000


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return min(FIRST_WAIT * 2 ** (attempts - 1), LONGEST_WAIT)


def deliver(delivery_id: int) -> str:
    """Try the delivery once; what happened, in a word."""
    delivery = Delivery.objects.select_related("alert", "webhook").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery.status  # delivered (or given up) by an earlier run of this job
    started = time.perf_counter()
    try:
        status_code, answer, ok = _send(delivery)
    except (OSError, ValueError) as error:  # refused, timed out, no route, bad address
        status_code, answer, ok = None, f"{type(error).__name__}: {error}", False
    now = clock.now()
    DeliveryAttempt.objects.create(
        delivery=delivery, at=now, status_code=status_code, answer=answer[:ANSWER_KEPT],
        ok=ok, seconds=round(time.perf_counter() - started, 3),
    )  # fmt: skip
    delivery.attempts += 1
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_at = (
            DeliveryStatus.DELIVERED,
            now,
            None,
        )
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_at = now + backoff(delivery.attempts)
        Schedule.objects.create(
            name=f"alerts: delivery {delivery.delivery_id} again ({delivery.attempts + 1})",
            func="tracelot.alerts.delivery.deliver",
            args=repr(delivery.pk),
            schedule_type=Schedule.ONCE,
            next_run=delivery.next_at,
        )
    delivery.save(update_fields=["status", "attempts", "next_at", "delivered_at"])
    return delivery.status


def _send(delivery: Delivery) -> tuple[int | None, str, bool]:
    message = alert_message(delivery.alert, delivery.language)
    if delivery.webhook is None:
        with translation.override(delivery.language):
            body = "\n".join([*message.lines, "", f"{message.link_text}: {message.link}"])
        sent = EmailMessage(subject=message.title, body=body, to=[delivery.email]).send()
        return None, "sent" if sent else "not sent", bool(sent)
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
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status, answer = response.status, response.read(ANSWER_KEPT)
    except urllib.error.HTTPError as error:
        status, answer = error.code, error.read(ANSWER_KEPT)
    text = answer.decode("utf-8", "replace")
    if webhook.kind in (WebhookKind.WECOM, WebhookKind.DINGTALK):
        return status, text, robot_accepted(status, answer)
    return status, text, 200 <= status < 300


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
            "lots": [lot.code for lot in alert.lots.order_by("code")],
            "step": alert.step_id,
            "line": alert.line.code if alert.line else None,
            "shift": alert.shift.code if alert.shift else None,
            "responsible": alert.responsible.display_name if alert.responsible else None,
            "incident": alert.incident.number if alert.incident else None,
            "link": getattr(message, "link", ""),
        },
    }
