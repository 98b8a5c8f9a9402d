"""Alert rules, the alerts they raise, and each delivery of an alert with its attempts."""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import Named, percent_field
from tracelot.incidents.models import Incident
from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrderStep
from tracelot.plants.models import Line, Operator, Shift, Site


class Condition(models.TextChoices):
    INSPECTION_FAILED = "inspection_failed", _("an inspection failed")
    CONTROL_CHART = "control_chart", _("a control-chart rule was broken")
    INCIDENT_OPENED = "incident_opened", _("an incident was opened")
    INCIDENT_CONTAINED = "incident_contained", _("an incident was contained")
    INTEGRITY = "integrity", _("the integrity check found something new")
    SCAN_REFUSED = "scan_refused", _("scans were refused at a station")
    EXPIRING = "expiring", _("lots expire within N days")
    EXPIRED_ON_HAND = "expired_on_hand", _("expired lots are still on hand")
    HOLD_AGE = "hold_age", _("lots have been on hold for N days")
    MASS_BALANCE = "mass_balance", _("a work-order step is off its bill of materials by N %")


class WebhookKind(models.TextChoices):
    TRACELOT = "tracelot", _("Tracelot JSON, signed")
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")


class Language(models.TextChoices):
    ZH = "zh-hans", "简体中文"
    EN = "en", "English"


class Webhook(models.Model):
    """A place alerts are posted to: another system, or a WeCom or DingTalk group."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=WebhookKind.choices)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "Tracelot JSON: the HMAC key of X-Tracelot-Signature. DingTalk: the 加签 secret."
        ),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH
    )
    active = models.BooleanField(_("active"), default=True)

    # The master-data trail says these changed, not what to: the secret signs what Tracelot
    # sends, and a robot's URL carries its access token in the query.
    trail_masked = ("secret", "url")

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name


class AlertRule(Named):
    """When to raise an alert, at which site, and who hears of it."""

    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("site"),
        help_text=_("Empty: every site."),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("users")
    )
    roles = models.ManyToManyField(Group, blank=True, related_name="+", verbose_name=_("roles"))
    to_responsible = models.BooleanField(
        _("the person responsible for the step"), default=True,
        help_text=_("When that person signs in to Tracelot."),
    )  # fmt: skip
    emails = models.TextField(
        _("e-mail addresses"),
        blank=True,
        help_text=_("One per line; sent in Chinese unless the line ends with ' en'."),
    )
    webhooks = models.ManyToManyField(
        Webhook, blank=True, related_name="rules", verbose_name=_("webhooks")
    )
    # The conditions' numbers: N days (expiring, on hold), N refusals within M minutes.
    days = models.PositiveIntegerField(_("days"), default=7)
    count = models.PositiveIntegerField(_("refusals"), default=1)
    minutes = models.PositiveIntegerField(_("within minutes"), default=10)
    percent = percent_field(
        _("percent off"), default=5,
        help_text=_("Mass balance: how far a step's consumption may be off its bill of "
                    "materials before the alert."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def email_addresses(self) -> list[tuple[str, str]]:
        """(address, language) for each line of `emails`."""
        found = []
        for line in self.emails.splitlines():
            words = line.split()
            if words:
                found.append(
                    (words[0], "en" if words[-1:] == ["en"] and len(words) > 1 else "zh-hans")
                )
        return found


class Alert(models.Model):
    """One raised alert: what happened, to which lots, where and under whom; it stays until
    someone acknowledges it."""

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, verbose_name=_("rule"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)
    # One alert per rule and cause, however often its job runs (handlers run twice).
    key = models.CharField(_("key"), max_length=120, unique=True)
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    detail = models.JSONField(_("detail"), default=dict)
    lots = models.ManyToManyField(Lot, related_name="+", verbose_name=_("lots"))
    step = models.ForeignKey(
        WorkOrderStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("step"),
    )
    line = models.ForeignKey(
        Line,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("line"),
    )
    shift = models.ForeignKey(
        Shift,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shift"),
    )
    responsible = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incident"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("acknowledged by"),
    )  # fmt: skip
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.condition} {self.raised_at:%Y-%m-%d %H:%M}"


class AlertRecipient(models.Model):
    """A user who sees the alert in the app (the bell), and whether they have opened it."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="alerts_recipient_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="alerts_recipient_unread_idx")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.user_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed for good")


class Delivery(models.Model):
    """The alert sent once to one e-mail address or webhook; its id stays the same across
    retries (X-Tracelot-Delivery), so a receiver can drop a repeat."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("alert")
    )
    delivery_id = models.UUIDField(
        _("delivery id"), default=uuid.uuid4, unique=True, editable=False
    )
    webhook = models.ForeignKey(
        Webhook, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("webhook")
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # A worker sending it holds it until then; a killed worker's claim runs out.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_at"], name="alerts_delivery_due")]

    def __str__(self) -> str:
        return self.email or str(self.webhook)


class DeliveryAttempt(models.Model):
    """One try of a delivery and its answer, as the receiver gave it."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="tries", verbose_name=_("delivery")
    )
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    ok = models.BooleanField(_("delivered"), default=False)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or ''}"
