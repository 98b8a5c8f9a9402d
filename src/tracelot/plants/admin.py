"""Admin for plant master data: sites, lines, stations, locations, shifts, teams, operators."""

from django.contrib import admin

from tracelot.audit.admin import ReasonedAdmin
from tracelot.plants.models import (
    Line,
    Location,
    Operator,
    Shift,
    Site,
    SiteMembership,
    Station,
    Team,
)

NAMED_SEARCH = ("code", "name", "name_zh")


@admin.register(Site)
class SiteAdmin(ReasonedAdmin):
    list_display = ["code", "name", "name_zh", "gln"]
    search_fields = (*NAMED_SEARCH, "gln")
    ordering = ("code",)


class SiteScopedAdmin(ReasonedAdmin):
    """Shared shape of a record that belongs to one site: filter by site, search by code/name."""

    # Lists, not tuples, so subclasses may set longer ones under the same static type.
    list_display = ["code", "name", "name_zh", "site"]
    list_filter = ["site"]
    list_select_related = ["site"]
    search_fields = list(NAMED_SEARCH)
    ordering = ("site__code", "code")


@admin.register(Line)
class LineAdmin(SiteScopedAdmin):
    pass


@admin.register(Station)
class StationAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "line"]
    list_filter = ["site", "line"]
    list_select_related = ["site", "line"]
    autocomplete_fields = ("line",)


@admin.register(Location)
class LocationAdmin(SiteScopedAdmin):
    pass


@admin.register(Shift)
class ShiftAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "starts_at", "ends_at"]


@admin.register(Team)
class TeamAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "shift"]
    list_filter = ["site", "shift"]
    list_select_related = ["site", "shift"]
    autocomplete_fields = ("shift",)


@admin.register(Operator)
class OperatorAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "team", "user"]
    list_filter = ["site", "team"]
    list_select_related = ["site", "team", "user"]
    search_fields = [*NAMED_SEARCH, "user__username"]
    autocomplete_fields = ("team", "user")


@admin.register(SiteMembership)
class SiteMembershipAdmin(ReasonedAdmin):
    """Who works at which site: a user sees the lots, orders and records of their sites."""

    list_display = ("user", "site")
    list_filter = ("site",)
    list_select_related = ("user", "site")
    search_fields = ("user__username", "site__code")
    autocomplete_fields = ("user",)
