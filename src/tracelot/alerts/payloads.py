"""What a webhook receives: Tracelot's own JSON, signed; or the markdown message of a WeCom
(企业微信) or DingTalk (钉钉) group robot, with the link to the lot or incident.

Tracelot's JSON is signed like GitHub's webhooks: `X-Tracelot-Signature: sha256=<hex>`, an
HMAC-SHA256 over the raw body with the webhook's secret, and `X-Tracelot-Delivery` carries
the delivery's id, the same on every retry, so a receiver can drop a repeat.
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

WECOM_MAX_BYTES = 4096  # WeCom refuses a markdown content longer than this (UTF-8)


@dataclass(frozen=True)
class Message:
    """An alert as a robot shows it, already in the group's language."""

    title: str
    lines: list[str]  # the lots, the step, line and shift, the responsible person
    link: str  # absolute URL of the lot or incident page
    link_text: str


def tracelot_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def tracelot_signature(secret: str, body: bytes) -> str:
    """The X-Tracelot-Signature header's value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _markdown(message: Message) -> str:
    lines = "\n".join(f"> {line}" for line in message.lines)
    return f"**{message.title}**\n{lines}\n[{message.link_text}]({message.link})"


def wecom_body(message: Message) -> bytes:
    """A WeCom group robot's markdown message, cut to what WeCom accepts (the link kept)."""
    text = _markdown(message)
    while len(text.encode()) > WECOM_MAX_BYTES and message.lines:
        message = Message(message.title, message.lines[:-1], message.link, message.link_text)
        text = _markdown(message)
    return json.dumps(
        {"msgtype": "markdown", "markdown": {"content": text}}, ensure_ascii=False
    ).encode()


def dingtalk_body(message: Message) -> bytes:
    """A DingTalk group robot's markdown message."""
    payload = {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": _markdown(message)},
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """A DingTalk robot with "加签" wants the URL signed: HMAC-SHA256 of "timestamp\\nsecret"
    keyed with the secret, in Base64, URL-encoded, beside the timestamp (milliseconds)."""
    if not secret:
        return url
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def robot_accepted(status: int, body: bytes) -> bool:
    """WeCom and DingTalk answer 200 with {"errcode": 0} when they took the message; any
    other errcode (a wrong key, a keyword missing, too many messages) is a failure to retry."""
    if status != 200:
        return False
    try:
        return json.loads(body).get("errcode") == 0
    except (ValueError, AttributeError):
        return False
