"""Account reads: the language a user chose."""

from typing import Any


def user_language(*, user: Any) -> str:
    """The language `user` chose, or "" when they have not chosen one (or are anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    profile = getattr(user, "profile", None)  # the reverse one-to-one: None when there is none
    return profile.language if profile is not None else ""
