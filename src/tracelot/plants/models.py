"""Where and by whom things are made: sites, lines, stations, locations, shifts, teams, operators."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import Named


class Site(Named):
    gln = models.CharField(_("GLN"), max_length=13, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [models.UniqueConstraint(fields=["code"], name="plants_site_code_unique")]


class SiteScoped(Named):
    """A master-data record that belongs to one site; its code is unique within the site."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))

    class Meta:
        abstract = True


class Line(SiteScoped):
    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="plants_line_code_unique")
        ]


class Station(SiteScoped):
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("line")
    )
    gs_substitute = models.CharField(
        _("GS substitute"),
        max_length=3,
        blank=True,
        help_text=_(
            "The character this station's keyboard-wedge scanner sends instead of the GS1 "
            "group separator (for example ^ or ~); empty when it sends the separator itself."
        ),
    )

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="plants_station_code_unique")
        ]


class Location(SiteScoped):
    quarantine = models.BooleanField(
        _("quarantine area"),
        default=False,
        help_text=_("Holds returned and suspect goods apart; recalled goods come back here."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="plants_location_code_unique")
        ]


class Shift(SiteScoped):
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="plants_shift_code_unique")
        ]


class Team(SiteScoped):
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("shift")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="plants_team_code_unique")
        ]


class Operator(SiteScoped):
    """A person who acts on the shop floor or answers for a step; may sign in as a user."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("team")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="plants_operator_code_unique")
        ]


class SiteMembership(models.Model):
    """A user works at a site and sees its lots, orders and records (plants.selectors).

    A single-site installation needs none: everyone works at the one site.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="site_memberships",
        verbose_name=_("user"),
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("site")
    )

    class Meta:
        verbose_name = _("site membership")
        verbose_name_plural = _("site memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="plants_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site}"
