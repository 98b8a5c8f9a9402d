"""Who signs in: each user's chosen language and sites (roles are Django groups, see roles.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.plants.models import Site


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"


class SiteMembership(models.Model):
    """A user works at a site and sees its lots, orders and records (accounts.selectors).

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
            models.UniqueConstraint(fields=["user", "site"], name="accounts_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site}"
