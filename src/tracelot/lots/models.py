"""Lots (the current-state projection of the ledger) and the rules that number them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.items.models import Item, ItemKind
from tracelot.orders.models import PurchaseOrder, WorkOrder
from tracelot.partners.models import Supplier
from tracelot.plants.models import Location, Site


class LotStatus(models.TextChoices):
    QUARANTINE = "quarantine", _("quarantine")
    RELEASED = "released", _("released")
    ON_HOLD = "on_hold", _("on hold")
    CONSUMED = "consumed", _("consumed")
    SHIPPED = "shipped", _("shipped")
    SCRAPPED = "scrapped", _("scrapped")
    # Shipped lots called back from customers; what comes back stays recalled, in quarantine.
    RECALLED = "recalled", _("recalled")
    # Sent back to its supplier as a disposition of nonconforming material.
    RETURNED = "returned", _("returned to supplier")


# What each status allows, in one place: guards, pages, the dashboard and the demo read these.
HOLDABLE = frozenset({LotStatus.QUARANTINE, LotStatus.RELEASED})
RELEASABLE = frozenset({LotStatus.QUARANTINE, LotStatus.ON_HOLD})
# Terminal: the lot is gone from the plant and no event but a return brings it back.
TERMINAL = frozenset(
    {LotStatus.CONSUMED, LotStatus.SHIPPED, LotStatus.SCRAPPED, LotStatus.RETURNED}
)
IN_STOCK = frozenset(
    {LotStatus.QUARANTINE, LotStatus.RELEASED, LotStatus.ON_HOLD, LotStatus.RECALLED}
)


class Lot(models.Model):
    """A lot as it stands now; every change to it is written by the ledger in one transaction."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, db_index=False, verbose_name=_("site"))
    code = models.CharField(_("lot code"), max_length=60)
    # covered by the (item, status) index
    item = models.ForeignKey(Item, on_delete=models.PROTECT, db_index=False, verbose_name=_("item"))
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    batch = models.CharField(_("GS1 batch/lot"), max_length=20)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("supplier")
    )
    supplier_lot = models.CharField(_("supplier lot"), max_length=60, blank=True)
    purchase_order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("purchase order"),
    )
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("work order")
    )
    produced_on = models.DateField(_("produced on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=LotStatus.choices)
    quantity_on_hand = models.DecimalField(_("on hand"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=10)
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("location"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        permissions = [
            ("hold_lot", _("Can put lots on hold")),
            ("release_lot", _("Can release lots")),
            ("receive_lot", _("Can receive supplier lots")),
            ("ship_lot", _("Can ship lots")),
        ]
        # Unique per site, code first: a lookup by code alone (a scan, a URL) uses it too.
        constraints = [
            models.UniqueConstraint(fields=["code", "site"], name="lots_lot_code_unique")
        ]
        indexes = [
            models.Index(fields=["supplier_lot"], name="lots_lot_supplier_lot_idx"),
            models.Index(fields=["gtin", "batch"], name="lots_lot_gtin_batch_idx"),
            models.Index(fields=["item", "status"], name="lots_lot_item_status_idx"),
            # the start page and dashboard count lots by status
            models.Index(fields=["status"], name="lots_lot_status_idx"),
            # the lots of an item made or received in a period (likely causes compare them)
            models.Index(fields=["item", "produced_on"], name="lots_lot_item_produced_idx"),
            models.Index(fields=["item", "received_on"], name="lots_lot_item_received_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def waits_for_release(self) -> bool:
        """Finished goods start in quarantine until QC releases them; others are usable."""
        return self.item.kind == ItemKind.FINISHED


class SequenceReset(models.TextChoices):
    NEVER = "never", _("never")
    DAILY = "daily", _("daily")
    MONTHLY = "monthly", _("monthly")
    YEARLY = "yearly", _("yearly")


class LotRule(models.Model):
    """A template that numbers lots, for one item, for an item kind, or by default."""

    name = models.CharField(_("name"), max_length=100)
    template = models.CharField(
        _("template"),
        max_length=200,
        help_text=_(
            "Tokens: {item} {kind} {site} {line} {yyyy} {yy} {mm} {dd} {julian} {shift} "
            "{order} {seq:N} {check}. Other text is copied as it is."
        ),
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("item")
    )
    item_kind = models.CharField(
        _("item kind"), max_length=20, choices=ItemKind.choices, blank=True
    )
    is_default = models.BooleanField(_("default rule"), default=False)
    reset = models.CharField(
        _("sequence reset"),
        max_length=10,
        choices=SequenceReset.choices,
        default=SequenceReset.DAILY,
    )

    class Meta:
        verbose_name = _("lot-number rule")
        verbose_name_plural = _("lot-number rules")

    def __str__(self) -> str:
        return f"{self.name}: {self.template}"


class LotSequence(models.Model):
    """The last number a rule gave out in one reset period; only ever counts up."""

    # Empty for the built-in fallback rule, which has no row (see lots.services).
    rule = models.ForeignKey(
        LotRule, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("rule")
    )
    period = models.CharField(_("period"), max_length=20)
    scope = models.CharField(_("scope"), max_length=120, blank=True)
    last_value = models.PositiveBigIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("lot-number sequence")
        verbose_name_plural = _("lot-number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "period", "scope"], name="lots_lotsequence_period_unique"
            ),
            # NULLs are distinct in a unique index, so the fallback rule needs its own.
            models.UniqueConstraint(
                fields=["period", "scope"],
                condition=models.Q(rule__isnull=True),
                name="lots_lotsequence_fallback_period_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.period} {self.scope} {self.last_value}"
