"""Daily figures behind the dashboard: derived from the ledger, never edited by hand.

Both tables are rebuilt from the events by `tracelot rebuild_figures`; the dashboard brings
them up to date from the events recorded since its last look (`figures.figures_refresh`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.partners.models import Supplier
from tracelot.plants.models import Line, Shift, Site


class DailyOutput(models.Model):
    """Finished goods produced on one day (plant time) on one line, reversals left out."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    day = models.DateField(_("day"))
    line = models.ForeignKey(
        Line, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("line")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=4)
    lots = models.PositiveIntegerField(_("lots"))

    class Meta:
        verbose_name = _("daily output")
        verbose_name_plural = _("daily output")
        indexes = [models.Index(fields=["day"], name="reports_output_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.line_id}: {self.quantity}"


class DailyInspection(models.Model):
    """Inspections of one day, counted per line, shift and supplier of the inspected lot."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    day = models.DateField(_("day"))
    line = models.ForeignKey(
        Line, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("line")
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("shift")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("supplier")
    )
    passed = models.PositiveIntegerField(_("passed"))
    total = models.PositiveIntegerField(_("total"))

    class Meta:
        verbose_name = _("daily inspections")
        verbose_name_plural = _("daily inspections")
        indexes = [models.Index(fields=["day"], name="reports_inspection_day_idx")]

    def __str__(self) -> str:
        return f"{self.day}: {self.passed}/{self.total}"


class FiguresMark(models.Model):
    """How far into a site's hash chain the daily figures have been brought up to date.

    The chain position, not the event id: a site's positions are handed out under the chain
    head's lock, so no event can later appear below the mark (ids can, on PostgreSQL, when
    two transactions commit out of order).
    """

    site = models.OneToOneField(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    position = models.PositiveBigIntegerField(_("chain position"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("figures mark")
        verbose_name_plural = _("figures marks")

    def __str__(self) -> str:
        return f"{self.site_id}@{self.position}"
