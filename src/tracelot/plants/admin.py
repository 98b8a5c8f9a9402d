"""Admin for plant master data: sites, lines, stations, locations, shifts, teams, operators."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tracelot.audit.admin import ReasonedAdmin, changed_by, form_fields, form_reason
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
from tracelot.plants.services import operator_save, shift_save, site_save, station_save, team_save

NAMED_SEARCH = ("code", "name", "name_zh")


@admin.register(Site)
class SiteAdmin(ReasonedAdmin):
    list_display = ["code", "name", "name_zh", "gln"]
    search_fields = (*NAMED_SEARCH, "gln")
    ordering = ("code",)

    def save_model(self, request: HttpRequest, obj: Site, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        site_save(site=obj, reason=form_reason(form), by=changed_by(request), fields=fields)


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

    def save_model(self, request: HttpRequest, obj: Station, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        station_save(station=obj, reason=form_reason(form), by=changed_by(request), fields=fields)


@admin.register(Location)
class LocationAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "quarantine"]


@admin.register(Shift)
class ShiftAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "starts_at", "ends_at"]

    def save_model(self, request: HttpRequest, obj: Shift, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        shift_save(shift=obj, reason=form_reason(form), by=changed_by(request), fields=fields)


@admin.register(Team)
class TeamAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "shift"]
    list_filter = ["site", "shift"]
    list_select_related = ["site", "shift"]
    autocomplete_fields = ("shift",)

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        team_save(team=obj, reason=form_reason(form), by=changed_by(request), fields=fields)


@admin.register(Operator)
class OperatorAdmin(SiteScopedAdmin):
    list_display = ["code", "name", "name_zh", "site", "team", "user"]
    list_filter = ["site", "team"]
    list_select_related = ["site", "team", "user"]
    search_fields = [*NAMED_SEARCH, "user__username"]
    autocomplete_fields = ("team", "user")

    def save_model(self, request: HttpRequest, obj: Operator, form: Any, change: bool) -> None:
        fields = form_fields(form) if change else None
        operator_save(operator=obj, reason=form_reason(form), by=changed_by(request), fields=fields)


@admin.register(SiteMembership)
class SiteMembershipAdmin(ReasonedAdmin):
    """Who works at which site: a user sees the lots, orders and records of their sites."""

    list_display = ("user", "site")
    list_filter = ("site",)
    list_select_related = ("user", "site")
    search_fields = ("user__username", "site__code")
    autocomplete_fields = ("user",)
