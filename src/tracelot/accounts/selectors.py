"""Account reads: the language a user chose, and the person behind a login."""

from typing import Any

from tracelot.plants.models import Operator


def user_language(*, user: Any) -> str:
    """The language `user` chose, or "" when they have not chosen one (or are anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    profile = getattr(user, "profile", None)  # the reverse one-to-one: None when there is none
    return profile.language if profile is not None else ""


def person_name(user: Any) -> str:
    """Who is signed in, as colleagues know them: the operator's name (in the reader's
    language) when the login is linked to one, else the user's own name, else the login."""
    operator = Operator.objects.filter(user=user).only("name", "name_zh").first()
    if operator is not None:
        return str(operator.display_name)
    return str(user.get_full_name() or user.get_username())
