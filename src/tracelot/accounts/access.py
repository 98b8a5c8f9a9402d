"""What the audit trail records of people (audit.access): connected to Django's sign-in
signals, to changes of users' passwords, roles and sites, and to every export of records."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest

from tracelot.audit.access import access_record
from tracelot.audit.models import AccessKind
from tracelot.core.exports import records_exported
from tracelot.plants.models import SiteMembership


def _address(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    access_record(kind=AccessKind.SIGN_IN, user=user, by_id=user.pk, address=_address(request))


def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        access_record(kind=AccessKind.SIGN_OUT, user=user, by_id=user.pk, address=_address(request))


def _refused(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # The password is never kept; Django masks it in `credentials` already.
    access_record(
        kind=AccessKind.SIGN_IN_FAILED,
        username=str(credentials.get("username", ""))[:150] or "?",
        address=_address(request),
    )


def _password_changed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # set_password keeps the new raw password until save has handed it to the validators.
    if not created and getattr(instance, "_password", None) is not None:
        access_record(kind=AccessKind.PASSWORD_CHANGED, user=instance)


def _roles_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:
        return  # given a role they had already: nothing changed
    users = (
        [instance]
        if isinstance(instance, get_user_model())
        # A role's users changed from the role's side (group.user_set.add): each user's line.
        else list(get_user_model().objects.filter(pk__in=pk_set or ()))
    )
    for user in users:
        roles = sorted(user.groups.values_list("name", flat=True))
        access_record(
            kind=AccessKind.ROLES_CHANGED,
            user=user,
            detail={"change": action.removeprefix("post_"), "roles": roles},
        )


def _sites_changed(sender: Any, instance: SiteMembership, **kwargs: Any) -> None:
    user = instance.user
    sites = sorted(SiteMembership.objects.filter(user=user).values_list("site__code", flat=True))
    access_record(kind=AccessKind.SITES_CHANGED, user=user, detail={"sites": sites})


def _exported(sender: Any, name: str, **kwargs: Any) -> None:
    access_record(kind=AccessKind.EXPORTED, detail={"file": name})


def access_trail_connect() -> None:
    uid = "tracelot.accounts.access."
    user_logged_in.connect(_signed_in, dispatch_uid=uid + "in")
    user_logged_out.connect(_signed_out, dispatch_uid=uid + "out")
    user_login_failed.connect(_refused, dispatch_uid=uid + "failed")
    post_save.connect(_password_changed, sender=get_user_model(), dispatch_uid=uid + "password")
    m2m_changed.connect(
        _roles_changed, sender=get_user_model().groups.through, dispatch_uid=uid + "roles"
    )
    post_save.connect(_sites_changed, sender=SiteMembership, dispatch_uid=uid + "sites")
    post_delete.connect(_sites_changed, sender=SiteMembership, dispatch_uid=uid + "sites-gone")
    records_exported.connect(_exported, dispatch_uid=uid + "exported")
