"""Template context for every page: the alert bell's count of unread alerts."""

from functools import partial
from typing import Any

from django.http import HttpRequest

from tracelot.alerts.selectors import alerts_unread_count


def alerts_bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable: only pages that show the bell pay its query.
    return {"alerts_unread": partial(alerts_unread_count, user=user)}
