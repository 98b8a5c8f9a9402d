"""The ledger: immutable, hash-chained events, the one record of everything that happened."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import AppendOnly
from tracelot.lots.models import Lot
from tracelot.orders.models import PurchaseOrder, SalesOrder, WorkOrder, WorkOrderStep
from tracelot.plants.models import Line, Location, Operator, Shift, Site, Station, Team


class EventKind(models.TextChoices):
    RECEIVE = "receive", _("receive")
    CONSUME = "consume", _("consume")
    PRODUCE = "produce", _("produce")
    MOVE = "move", _("move")
    SPLIT = "split", _("split")
    MERGE = "merge", _("merge")
    INSPECT = "inspect", _("inspect")
    HOLD = "hold", _("hold")
    RELEASE = "release", _("release")
    SHIP = "ship", _("ship")
    RETURN = "return", _("return")
    ADJUST = "adjust", _("adjust")
    SCRAP = "scrap", _("scrap")
    SEND_BACK = "send_back", _("return to supplier")
    RECALL = "recall", _("recall")
    REVERSAL = "reversal", _("reversal")


class Via(models.TextChoices):
    SCAN = "scan", _("scan")
    MANUAL = "manual", _("manual")
    API = "api", _("API")
    MQTT = "mqtt", _("MQTT")
    IMPORT = "import", _("import")


class Event(AppendOnly):
    """One fact: what happened to which lot, when, where, by whom, why and how it was captured.

    Foreign keys carry no index of their own unless a reader needs it: every index is written
    with every event, and recording speed is one of the bars (readers' indexes are in Meta).
    """

    site = models.ForeignKey(Site, on_delete=models.PROTECT, db_index=False, verbose_name=_("site"))
    chain_position = models.PositiveBigIntegerField(_("chain position"))
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, db_index=False, related_name="events", verbose_name=_("lot")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=10)
    # where the quantity went or came from, for split, merge and produce-from-rework
    other_lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other lot"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("location"),
    )
    line = models.ForeignKey(
        Line,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("line"),
    )
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("station"),
    )
    actor = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    responsible = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    shift = models.ForeignKey(
        Shift,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("shift"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("team"),
    )
    purchase_order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("purchase order"),
    )
    work_order = models.ForeignKey(
        WorkOrder,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("work order"),
    )
    step = models.ForeignKey(
        WorkOrderStep,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        verbose_name=_("work order step"),
    )
    sales_order = models.ForeignKey(
        SalesOrder, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sales order")
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    via = models.CharField(_("captured via"), max_length=10, choices=Via.choices)
    key = models.CharField(_("idempotency key"), max_length=100)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Who was signed in when it was recorded, as the system knows them; `actor` is the person
    # on the floor, which a login may be linked to or not.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed-in user"),
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    # An HMAC-SHA256 under the chain key named in seal_key (core.chainkeys): a key kept
    # outside the database, so no one who can only write to it can forge a link.
    hash = models.CharField(_("hash"), max_length=64)
    seal_key = models.CharField(_("sealed with key"), max_length=16)

    EDIT_REFUSED = "ledger events are immutable; record a reversal instead"
    DELETE_REFUSED = "ledger events are never deleted; record a reversal instead"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="ledger_event_key_unique"),
            models.UniqueConstraint(
                fields=["site", "chain_position"], name="ledger_event_chain_position_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["lot", "kind"], name="ledger_event_lot_kind_idx"),
            models.Index(fields=["step", "kind"], name="ledger_event_step_kind_idx"),
            models.Index(fields=["occurred_at"], name="ledger_event_occurred_idx"),
            # A sales order's shipments (shipping page, packing list); only events that
            # name a sales order pay for it on writing.
            models.Index(
                fields=["sales_order", "kind"],
                name="ledger_event_sales_order_idx",
                condition=models.Q(sales_order__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.lot_id} {self.quantity}"


class ChainHead(models.Model):
    """The last link of a site's hash chain; locking it orders concurrent writers."""

    site = models.OneToOneField(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    position = models.PositiveBigIntegerField(_("position"), default=0)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")

    def __str__(self) -> str:
        return f"{self.site_id}@{self.position}"


class ChainCheck(models.Model):
    """One verification of a site's hash chain: up to where it held, and when."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    checked_at = models.DateTimeField(_("checked at"))
    first_position = models.PositiveBigIntegerField(_("from position"))
    last_position = models.PositiveBigIntegerField(_("to position"))
    last_hash = models.CharField(_("hash at the last position"), max_length=64)
    broken_at = models.PositiveBigIntegerField(_("broken at"), null=True, blank=True)
    head_matches = models.BooleanField(_("chain head matches"), default=True)
    # A full verification also recomputes every lot from its events (ledger.projection).
    lots_differing = models.PositiveIntegerField(
        _("lots that differ from their events"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("hash-chain check")
        verbose_name_plural = _("hash-chain checks")
        indexes = [
            models.Index(fields=["site", "-checked_at"], name="ledger_chaincheck_latest_idx")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.first_position}-{self.last_position} {self.ok}"

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.head_matches and not self.lots_differing

    @property
    def full(self) -> bool:
        return self.first_position <= 1


class IntegrityRun(models.Model):
    """One run of the daily integrity check (scheduled or by hand) and what it found, kept to
    show the trend and to tell what is new since the run before."""

    ran_at = models.DateTimeField(_("ran at"), db_index=True)
    by = models.CharField(_("run by"), max_length=40)  # "schedule", "command", a user name
    # check code → {"title": …, "count": n, "examples": [lot codes or step names]}
    findings = models.JSONField(_("findings"), default=dict)

    class Meta:
        verbose_name = _("integrity check run")
        verbose_name_plural = _("integrity check runs")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {self.total}"

    @property
    def total(self) -> int:
        return sum(int(finding.get("count", 0)) for finding in self.findings.values())
