"""Incidents (质量事故): a quality problem, the lots in question, and everything done under it.

What is done is recorded, never edited: each step is an entry of the incident's timeline,
and each hold or release an event in the ledger.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.items.models import Item
from tracelot.ledger.models import Event
from tracelot.lots.models import Lot
from tracelot.partners.models import Customer
from tracelot.plants.models import Line, Operator, Site


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    MAJOR = "major", _("major")
    CRITICAL = "critical", _("critical")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("open")
    CONTAINED = "contained", _("contained")
    INVESTIGATING = "investigating", _("investigating")
    RECALL = "recall", _("recall")
    CLOSED = "closed", _("closed")


class Source(models.TextChoices):
    """Where the incident came from; each keeps what was given in its own fields."""

    LOT = "lot", _("a lot")
    SUPPLIER_LOT = "supplier_lot", _("a supplier lot")
    INSPECTION = "inspection", _("a failed inspection")
    COMPLAINT = "complaint", _("a customer complaint")
    PRODUCTION = "production", _("an item made on a line in a time window")


class Incident(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    owner = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    opened_by = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"))
    source = models.CharField(_("source"), max_length=14, choices=Source.choices)
    # What the source named, as given (the lots it resolved to are IncidentLot rows).
    supplier_lot = models.CharField(_("supplier lot"), max_length=60, blank=True)
    inspection = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("failed inspection"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("customer")
    )
    customer_lot_text = models.CharField(
        _("lot code or label as given"), max_length=200, blank=True
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("item")
    )
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("line")
    )
    window_start = models.DateTimeField(_("from"), null=True, blank=True)
    window_end = models.DateTimeField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="incidents_number_unique")
        ]
        permissions = [("contain_incident", _("Can contain an incident's lots"))]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ScopeRole(models.TextChoices):
    START = "start", _("in question")  # the lots the incident is about
    ADDED = "added", _("added")  # also suspected by the quality manager
    EXCLUDED = "excluded", _("excluded")  # left out of the scope, with a reason


class IncidentLot(models.Model):
    """A lot the incident names: in question, added to the scope, or excluded from it."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="lots", verbose_name=_("incident")
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+", verbose_name=_("lot"))
    role = models.CharField(_("role"), max_length=10, choices=ScopeRole.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("incident lot")
        verbose_name_plural = _("incident lots")
        constraints = [
            models.UniqueConstraint(fields=["incident", "lot"], name="incidents_lot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} {self.role}"


class EntryKind(models.TextChoices):
    OPENED = "opened", _("opened")
    SCOPE_CHANGED = "scope_changed", _("scope changed")
    CONTAINED = "contained", _("contained")
    NOTE = "note", _("note")


class IncidentEntry(models.Model):
    """One thing done under the incident, in its timeline; entries are only added."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="entries", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=EntryKind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    text = models.CharField(_("text"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("incident entry")
        verbose_name_plural = _("incident entries")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class IncidentSequence(models.Model):
    """The last incident number given at a site in a period (the numbering rule's count)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    period = models.CharField(_("period"), max_length=20)
    last_value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "period"], name="incidents_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.last_value}"
