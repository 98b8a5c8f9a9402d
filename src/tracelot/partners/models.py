"""Who the plant buys from and sells to: suppliers and customers, with their GS1 GLN."""

from django.conf import settings
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
    # Whom a recall notice goes to, and in which language it is written.
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_("The language of the notices the customer receives."),
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="partners_customer_code_unique")
        ]
