"""Who the plant buys from and sells to: suppliers and customers, with their GS1 GLN."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import Named


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
    ship_tolerance_percent = models.DecimalField(
        _("shipping tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("How much more than an order line's open quantity may be shipped."),
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="partners_customer_code_unique")
        ]
