"""Quality: inspection plans per item, the inspections of lots against them, and the signed
decisions on lots (release, disposition of nonconforming lots)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tracelot.accounts.models import Signature
from tracelot.core import clock
from tracelot.core.models import Named, name_in_language
from tracelot.core.numbers import plain
from tracelot.items.models import Item
from tracelot.ledger.models import Event
from tracelot.lots.models import Lot
from tracelot.orders.models import WorkOrder
from tracelot.plants.models import Line, Operator, Site


class CharacteristicKind(models.TextChoices):
    MEASURED = "measured", _("measured")
    ATTRIBUTE = "attribute", _("pass/fail")


class InspectionResult(models.TextChoices):
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")


def _plain(number: Decimal | None) -> str:
    return "" if number is None else plain(number)


def _limits(lower: Decimal | None, upper: Decimal | None) -> str:
    low, high = _plain(lower), _plain(upper)
    if low and high:
        return f"{low} ~ {high}"
    if low:
        return f"≥ {low}"
    return f"≤ {high}" if high else ""


class InspectionPlan(models.Model):
    """What to check on the lots of one item; an item has at most one active plan."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="inspection_plans", verbose_name=_("item")
    )
    name = models.CharField(_("name"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "name"], name="quality_inspectionplan_name_unique"
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(active=True),
                name="quality_inspectionplan_one_active_per_item",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return name_in_language(self.name, self.name_zh)


class Characteristic(Named):
    """One thing a plan checks: a measured value within limits, or a pass/fail attribute."""

    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.CASCADE,
        related_name="characteristics",
        verbose_name=_("inspection plan"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=CharacteristicKind.choices,
        default=CharacteristicKind.MEASURED,
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    # Limits are inclusive; a measured characteristic may have one side open.
    lower_limit = models.DecimalField(
        _("lower limit"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    upper_limit = models.DecimalField(
        _("upper limit"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)

    class Meta:
        verbose_name = _("characteristic")
        verbose_name_plural = _("characteristics")
        ordering = ["sequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="quality_characteristic_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(lower_limit__isnull=True)
                | Q(upper_limit__isnull=True)
                | Q(lower_limit__lte=F("upper_limit")),
                name="quality_characteristic_limits_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CharacteristicKind.ATTRIBUTE)
                | Q(lower_limit__isnull=True, upper_limit__isnull=True),
                name="quality_characteristic_attribute_without_limits",
            ),
        ]

    @property
    def limits_display(self) -> str:
        """The limits as a reader expects them: "10 ~ 14", "≥ 10" or "≤ 14" (inclusive)."""
        return _limits(self.lower_limit, self.upper_limit)


class Inspection(models.Model):
    """One inspection of a lot against a plan, and the ledger event that records it."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, db_index=False, verbose_name=_("site"))
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("lot")
    )
    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspection plan"),
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    result = models.CharField(_("result"), max_length=4, choices=InspectionResult.choices)
    event = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="inspection", verbose_name=_("event")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.lot_id} {self.result}"

    @property
    def passed(self) -> bool:
        return self.result == InspectionResult.PASS


class InspectionValue(models.Model):
    """The value found for one characteristic, with the limits it was judged against."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="values", verbose_name=_("inspection")
    )
    characteristic = models.ForeignKey(
        Characteristic,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("characteristic"),
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # Copied from the characteristic: a plan's limits may change, a judgement may not.
    lower_limit = models.DecimalField(
        _("lower limit"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    upper_limit = models.DecimalField(
        _("upper limit"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    result = models.CharField(_("result"), max_length=4, choices=InspectionResult.choices)

    class Meta:
        verbose_name = _("inspection value")
        verbose_name_plural = _("inspection values")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "characteristic"],
                name="quality_inspectionvalue_characteristic_unique",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(passed__isnull=False),
                name="quality_inspectionvalue_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic_id}: {self.value_display}"

    @property
    def value_display(self) -> str:
        if self.value is not None:
            return _plain(self.value)
        return str(InspectionResult.PASS.label if self.passed else InspectionResult.FAIL.label)

    @property
    def reading(self) -> str:
        """What was found, named for the reader: "Moisture 13.2 %", "Seal integrity pass"."""
        unit = self.characteristic.unit if self.value is not None else ""
        return " ".join(
            part
            for part in (str(self.characteristic.display_name), self.value_display, unit)
            if part
        )

    @property
    def limits_display(self) -> str:
        return _limits(self.lower_limit, self.upper_limit)


class DecisionKind(models.TextChoices):
    """What is decided about a lot on hold or in question (不合格品评审 for the last four)."""

    RELEASE = "release", _("release")
    CONCESSION = "concession", _("use as is (concession)")
    REWORK = "rework", _("rework")
    SCRAP = "scrap", _("scrap")
    SEND_BACK = "send_back", _("return to supplier")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a second signature")
    DONE = "done", _("carried out")


class Decision(models.Model):
    """A signed decision on one lot or a group of lots, carried out as ledger events."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    kind = models.CharField(_("decision"), max_length=12, choices=DecisionKind.choices)
    reason = models.CharField(_("reason"), max_length=500)
    # The incident (or other record) it was taken under, by its number; blank on its own.
    context = models.CharField(_("under"), max_length=40, blank=True, db_index=True)
    lots = models.ManyToManyField(Lot, related_name="+", verbose_name=_("lots"))
    status = models.CharField(_("status"), max_length=8, choices=DecisionStatus.choices)
    decided_by = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))
    done_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    signatures = models.ManyToManyField(Signature, related_name="+", verbose_name=_("signatures"))
    # Rework: the work order that reworks the lots, and the line it runs on.
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("line")
    )
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("work order")
    )
    # What was signed: the lots with their quantities and statuses when it was decided.
    record = models.JSONField(_("record"), default=dict)
    key = models.CharField(_("idempotency key"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_at:%Y-%m-%d %H:%M}"
