"""Who the plant buys from and sells to: suppliers and customers, with their GS1 GLN."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import Named, percent_field


class Supplier(Named):
    gln = models.CharField(_("GLN"), max_length=13, blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="partners_supplier_code_unique")
        ]


class Customer(Named):
    gln = models.CharField(_("GLN"), max_length=13, blank=True)
    ship_tolerance_percent = percent_field(
        _("shipping tolerance (%)"),
        default=0,
        help_text=_("How much more than an order line's open quantity may be shipped."),
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="partners_customer_code_unique")
        ]
