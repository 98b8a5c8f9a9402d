"""Access records: sign-ins and their failures, sign-outs, password and rights changes, and
exports of records, each a sealed link of its trail (audit.trail)."""

from typing import Any

from django.contrib.auth import get_user_model

from tracelot.audit.models import AccessRecord
from tracelot.audit.trail import trail_append
from tracelot.core import clock
from tracelot.core.middleware import signed_in_user_id


def access_record(
    *,
    kind: str,
    username: str = "",
    user: Any = None,
    by_id: int | None = None,
    address: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessRecord:
    """Record one access event; `by_id` defaults to whoever is signed in to the request."""
    if user is None and not username:
        user_id = signed_in_user_id()
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return trail_append(
        AccessRecord(
            at=clock.now(),
            kind=kind,
            username=(username or (user.get_username() if user is not None else ""))[:150],
            user=user,
            by_id=by_id if by_id is not None else signed_in_user_id(),
            address=address or None,
            detail=detail or {},
        )
    )
