"""Admin for users, their roles (groups) and language: every change asks why."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User
from django.db.models import ManyToManyField
from django.http import HttpRequest

from tracelot.accounts.models import Profile
from tracelot.accounts.roles import ROLES
from tracelot.accounts.services import user_create, user_save
from tracelot.audit.admin import ReasonedAdmin, changed_by, form_fields, form_reason


@admin.register(Profile)
class ProfileAdmin(ReasonedAdmin):
    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username",)


# Who may release a lot is decided here: a role given or taken is a change an auditor asks about.
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ReasonedAdmin, auth_admin.UserAdmin):  # type: ignore[type-arg]
    add_form_template = "admin/audit/user_add_form.html"
    # A new user gets a role (and an address for a password reset) as they are created.
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
        (None, {"fields": ("groups",)}),
    )

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "groups":  # a user's groups are its roles (accounts/roles.py)
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        data, reason, by = form.cleaned_data, form_reason(form), changed_by(request)
        changed = form_fields(form)
        if change:
            user_save(
                user=obj,
                reason=reason,
                by=by,
                fields=changed,
                roles=[group.name for group in data["groups"]] if "groups" in changed else None,
                permissions=data["user_permissions"] if "user_permissions" in changed else None,
            )
            return
        created = user_create(
            username=obj.username,
            email=obj.email,
            roles=[group.name for group in data.get("groups", [])],
            password=data["password1"] if data.get("set_usable_password") else None,
            reason=reason,
            by=by,
        )
        # The admin goes on with its own instance (change message, redirect).
        obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db


@admin.register(Group)
class GroupAdmin(ReasonedAdmin, auth_admin.GroupAdmin):
    pass
