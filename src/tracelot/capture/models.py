"""The scan stations' log: every scan attempt, accepted or refused (the ledger holds facts)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrderStep
from tracelot.plants.models import Operator, Site, Station


class ScanResult(models.TextChoices):
    OK = "ok", _("accepted")
    REFUSED = "refused", _("refused")


class ScanLog(models.Model):
    """One scan at a station. A refused scan writes nothing to the ledger, only this line:
    this is an audit log of attempts (for the dashboard's refused scans), not a ledger fact."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    scanned_at = models.DateTimeField(_("scanned at"))
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("station")
    )
    step = models.ForeignKey(
        WorkOrderStep, on_delete=models.PROTECT, null=True, verbose_name=_("work order step")
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, verbose_name=_("operator")
    )
    text = models.CharField(_("scanned text"), max_length=300)
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, verbose_name=_("lot"))
    result = models.CharField(_("result"), max_length=10, choices=ScanResult.choices)
    code = models.CharField(_("refusal code"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=300)
    # A refusal in every language (language code → message), for readers of the log.
    messages = models.JSONField(_("messages"), default=dict, blank=True)
    duration_ms = models.FloatField(_("answered in (ms)"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        permissions = [
            ("use_station", _("Can use the scan station")),
            ("record_over_bom", _("Can record more output than the bill of materials allows")),
        ]
        indexes = [
            models.Index(fields=["result", "-scanned_at"], name="capture_scanlog_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.scanned_at:%Y-%m-%d %H:%M} {self.text} → {self.message}"

    @property
    def message_for_reader(self) -> str:
        """The message in the reader's language when the log has it, else as the operator
        read it."""
        return str(self.messages.get(get_language(), self.message))
