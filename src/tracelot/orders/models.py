"""Orders that lots are bound to: purchase orders, work orders with their steps, sales orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import name_in_language, percent_field
from tracelot.items.models import Item
from tracelot.partners.models import Customer, Supplier
from tracelot.plants.models import Line, Operator, Shift, Site


class OrderStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class Order(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    number = models.CharField(_("number"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    ordered_on = models.DateField(_("ordered on"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number


class PurchaseOrder(Order):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, verbose_name=_("supplier"))

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "site"], name="orders_purchaseorder_number_unique"
            )
        ]


class ApprovedSupplier(models.Model):
    """A supplier quality has approved for an item. An item with approved suppliers is
    received from those only; an item with none is not restricted (a first install)."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="approved_suppliers", verbose_name=_("item")
    )
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.PROTECT,
        related_name="approved_items",
        verbose_name=_("supplier"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("approved supplier")
        verbose_name_plural = _("approved suppliers")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "supplier"], name="orders_approvedsupplier_unique"
            )
        ]
        permissions = [
            ("receive_unapproved", _("Can receive from a supplier not approved for the item")),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} ← {self.supplier.code}"


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")

    def __str__(self) -> str:
        return f"{self.order.number} {self.item.code} {self.quantity}"


class Step(models.Model):
    """What a step makes and who answers for it (seed: 設立批號責任人, a named person per step)."""

    sequence = models.PositiveSmallIntegerField(_("sequence"))
    operation = models.CharField(_("operation"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    output_item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("output item")
    )
    responsible = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible")
    )

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        return name_in_language(self.name, self.name_zh)


class RoutingStep(Step):
    """One step of how an item is made, with the person who answers for it."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="routing", verbose_name=_("item")
    )

    class Meta:
        verbose_name = _("routing step")
        verbose_name_plural = _("routing steps")
        ordering = ["item", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "sequence"], name="orders_routingstep_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.sequence} {self.operation}"


class WorkOrder(Order):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, verbose_name=_("item"))
    line = models.ForeignKey(Line, on_delete=models.PROTECT, verbose_name=_("line"))
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("shift")
    )
    planned_quantity = models.DecimalField(_("planned quantity"), max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "site"], name="orders_workorder_number_unique"
            )
        ]


class WorkOrderStep(Step):
    """A step of one work order: what it makes, where, and who answers for it."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="steps", verbose_name=_("work order")
    )

    class Meta:
        verbose_name = _("work order step")
        verbose_name_plural = _("work order steps")
        ordering = ["work_order", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "sequence"], name="orders_workorderstep_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_order.number}/{self.sequence} {self.operation}"


class SalesOrder(Order):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, verbose_name=_("customer"))
    ship_tolerance_percent = percent_field(
        _("shipping tolerance (%)"),
        null=True,
        blank=True,
        help_text=_("Blank: the customer's tolerance."),
    )

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "site"], name="orders_salesorder_number_unique"
            )
        ]


class SalesOrderLine(models.Model):
    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")

    def __str__(self) -> str:
        return f"{self.order.number} {self.item.code} {self.quantity}"
