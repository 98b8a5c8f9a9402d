"""Incidents (质量事故): a quality problem, the lots in question, and everything done under it.

What is done is recorded, never edited: each step is an entry of the incident's timeline,
and each hold or release an event in the ledger.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.accounts.models import Signature
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
    photos = models.JSONField(_("photos"), default=list, blank=True)  # stored file names
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_signature = models.ForeignKey(
        Signature,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closing signature"),
    )

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
    DECISION = "decision", _("decision")
    ACTION = "action", _("action")
    RECALL = "recall", _("recall")
    CLOSED = "closed", _("closed")
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


class ActionKind(models.TextChoices):
    CONTAINMENT = "containment", _("containment")
    CORRECTIVE = "corrective", _("corrective")
    PREVENTIVE = "preventive", _("preventive")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    VERIFIED = "verified", _("verified")


class Action(models.Model):
    """A corrective or preventive action (CAPA) of an incident; verified by someone other
    than its owner, with a note on whether it worked (ISO 9001 §10.2)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="actions", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    description = models.CharField(_("what is to be done"), max_length=500)
    owner = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_note = models.CharField(_("what was done"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    effectiveness = models.CharField(_("effectiveness"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("CAPA action")
        verbose_name_plural = _("CAPA actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"


class Recall(models.Model):
    """The recall of an incident: its customers are told, acknowledge, and send back."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="recall", verbose_name=_("incident")
    )
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    start_signature = models.ForeignKey(
        Signature, on_delete=models.PROTECT, related_name="+", verbose_name=_("signature")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=500, blank=True)
    close_signature = models.ForeignKey(
        Signature,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closing signature"),
    )

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")

    def __str__(self) -> str:
        return f"{self.incident.number} recall"


class RecallCustomer(models.Model):
    """One customer of a recall: what was shipped to them, the notice, their answer."""

    recall = models.ForeignKey(
        Recall, on_delete=models.CASCADE, related_name="customers", verbose_name=_("recall")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    # What was shipped to them from the scope when the recall started, per unit.
    shipped = models.JSONField(_("shipped"), default=list)
    notice_to = models.CharField(_("notice sent to"), max_length=254, blank=True)
    notice_language = models.CharField(_("language"), max_length=10, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    acknowledgement = models.CharField(_("acknowledgement"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("recall customer")
        verbose_name_plural = _("recall customers")
        constraints = [
            models.UniqueConstraint(fields=["recall", "customer"], name="incidents_recall_customer")
        ]

    def __str__(self) -> str:
        return f"{self.recall_id} {self.customer_id}"


class Drill(models.Model):
    """A mock recall run as a drill, kept with its report, timings and score."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+", verbose_name=_("lot"))
    run_at = models.DateTimeField(_("run at"))
    run_by = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    scheduled = models.BooleanField(_("scheduled"), default=False)
    report = models.JSONField(_("report"), default=dict)
    total_ms = models.FloatField(_("total time (ms)"))
    complete = models.BooleanField(_("every unit accounted for"))

    class Meta:
        verbose_name = _("mock recall drill")
        verbose_name_plural = _("mock recall drills")
        ordering = ["-run_at"]

    def __str__(self) -> str:
        return f"{self.run_at:%Y-%m-%d} {self.lot_id}"


class DrillLotKind(models.TextChoices):
    FINISHED = "finished", _("a finished lot")
    RAW = "raw", _("a raw material lot")
    ANY = "any", _("any lot")


class DrillSchedule(models.Model):
    """How often a site rehearses a recall, on which kind of lot chosen at random."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    every_days = models.PositiveIntegerField(_("every (days)"), default=91)
    lot_kind = models.CharField(
        _("on"), max_length=10, choices=DrillLotKind.choices, default=DrillLotKind.ANY
    )
    next_on = models.DateField(_("next drill on"))

    class Meta:
        verbose_name = _("drill schedule")
        verbose_name_plural = _("drill schedules")

    def __str__(self) -> str:
        return f"{self.site_id} every {self.every_days} days"
