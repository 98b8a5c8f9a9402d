"""Account services: users with their roles, saved with their reason; a user's language."""

from collections.abc import Collection, Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext

from tracelot.accounts.models import Profile
from tracelot.accounts.roles import ROLES, roles_sync
from tracelot.audit.services import ChangedBy, master_data_reason_check, master_data_save
from tracelot.core.errors import Refused


def user_language_set(*, user: AbstractBaseUser, language: str) -> Profile:
    """Remember `language` as the one `user` reads Tracelot in."""
    if language not in dict(settings.LANGUAGES):
        raise Refused(
            "language_unknown", gettext("Unknown language %(code)s.") % {"code": language}
        )
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile


def _role_groups(roles: Collection[str]) -> list[Group]:
    """The groups of `roles`; a name that roles.py does not list is refused."""
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise Refused(
            "role_unknown",
            gettext("%(role)s is not a role; the roles are: %(roles)s.")
            % {"role": unknown[0], "roles": ", ".join(ROLES)},
            field="groups",
        )
    groups = list(Group.objects.filter(name__in=roles))
    if len(groups) < len(set(roles)):  # a database not migrated since a role was added
        roles_sync()
        groups = list(Group.objects.filter(name__in=roles))
    return groups


def _password_message(error: ValidationError) -> str:
    if error.code == "password_too_short":
        # Django 5.2's own Chinese catalogue lacks this message, so it is ours.
        minimum = int((error.params or {}).get("min_length", 0))
        return ngettext(
            "A password needs at least %(count)d character.",
            "A password needs at least %(count)d characters.",
            minimum,
        ) % {"count": minimum}
    return " ".join(error.messages)


@transaction.atomic
def user_create(
    *,
    username: str,
    roles: Collection[str],
    reason: str,
    by: ChangedBy,
    email: str = "",
    password: str | None = None,
    is_staff: bool = False,
) -> User:
    """Create a user in `roles`; without a password the user cannot sign in with one (until
    it is reset by e-mail). The password is never recorded."""
    master_data_reason_check(reason=reason)
    groups = _role_groups(roles)
    user = User(username=username, email=email, is_staff=is_staff)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            message = " ".join(_password_message(each) for each in error.error_list)
            raise Refused("password_invalid", message, field="password") from error
        user.set_password(password)
    return master_data_save(record=user, reason=reason, by=by, related={"groups": groups})


@transaction.atomic
def user_roles_set(*, user: User, roles: Collection[str], reason: str, by: ChangedBy) -> User:
    """Give `user` exactly `roles`."""
    master_data_reason_check(reason=reason)
    groups = _role_groups(roles)
    return master_data_save(
        record=user, reason=reason, by=by, fields=(), related={"groups": groups}
    )


@transaction.atomic
def user_save(
    *,
    user: User,
    reason: str,
    by: ChangedBy,
    fields: Collection[str] | None = None,
    roles: Collection[str] | None = None,
    permissions: Iterable[Permission] | None = None,
) -> User:
    """Save a user's details, and their roles and own permissions when given."""
    master_data_reason_check(reason=reason)
    related: dict[str, Iterable[Group] | Iterable[Permission]] = {}
    if roles is not None:
        related["groups"] = _role_groups(roles)
    if permissions is not None:
        related["user_permissions"] = permissions
    return master_data_save(record=user, reason=reason, by=by, fields=fields, related=related)
