"""Admin for users, their roles (groups) and language: every change asks why."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from tracelot.accounts.models import Profile
from tracelot.audit.admin import ReasonedAdmin


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


@admin.register(Group)
class GroupAdmin(ReasonedAdmin, auth_admin.GroupAdmin):
    pass
