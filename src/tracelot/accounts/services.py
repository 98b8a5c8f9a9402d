"""Account services: saving a user's language."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext

from tracelot.accounts.models import Profile
from tracelot.core.errors import Refused


def user_language_set(*, user: AbstractBaseUser, language: str) -> Profile:
    """Remember `language` as the one `user` reads Tracelot in."""
    if language not in dict(settings.LANGUAGES):
        raise Refused(
            "language_unknown", gettext("Unknown language %(code)s.") % {"code": language}
        )
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile
