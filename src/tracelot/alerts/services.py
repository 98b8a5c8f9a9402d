"""Acting on an alert in the app: opening the list marks the user's alerts read; anyone who
received an alert acknowledges it, once, with a comment."""

from typing import Any

from django.utils.translation import gettext

from tracelot.alerts.models import Alert, AlertRecipient
from tracelot.core import clock
from tracelot.core.errors import Refused

COMMENT_LENGTH = 500


def alerts_mark_read(*, user: Any) -> None:
    AlertRecipient.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=clock.now())


def alert_acknowledge(*, alert: Alert, user: Any, comment: str) -> Alert:
    if not AlertRecipient.objects.filter(alert=alert, user_id=user.pk).exists():
        raise Refused("not_recipient", gettext("This alert was not sent to you."))
    if alert.acknowledged_at is not None:
        raise Refused(
            "acknowledged",
            gettext("%(person)s acknowledged this alert already.")
            % {"person": alert.acknowledged_by.get_username() if alert.acknowledged_by else ""},
        )
    comment = comment.strip()
    if not comment:
        raise Refused("comment_missing", gettext("Say what was done about it."))
    if len(comment) > COMMENT_LENGTH:
        raise Refused(
            "comment_long",
            gettext("The comment is longer than %(limit)s characters.") % {"limit": COMMENT_LENGTH},
        )
    alert.acknowledged_at, alert.acknowledged_by, alert.comment = clock.now(), user, comment
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "comment"])
    return alert
