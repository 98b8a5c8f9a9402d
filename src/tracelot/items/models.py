"""What is made and bought: items with their GS1 identity and bills of materials."""

from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

from tracelot.core.models import Named, percent_field
from tracelot.core.numbers import grouped


class ItemKind(models.TextChoices):
    RAW = "raw", _("raw material")
    INTERMEDIATE = "intermediate", _("intermediate")
    FINISHED = "finished", _("finished product")
    PACKAGING = "packaging", _("packaging")


class Unit(models.TextChoices):
    KG = "kg", _("kilogram")
    G = "g", _("gram")
    L = "l", _("litre")
    M = "m", _("metre")
    PCS = "pcs", _("piece")
    CASE = "case", _("case")


# Short forms for quantities ("12 kg", "48 箱"): SI symbols read the same in both languages,
# counted units do not.
_UNIT_SYMBOLS: dict[str, Any] = {
    Unit.L: "L",
    Unit.PCS: pgettext_lazy("unit symbol", "pcs"),
    Unit.CASE: pgettext_lazy("unit symbol", "case"),
}


def unit_symbol(unit: str) -> str:
    """How a quantity in `unit` is written after its number, in the active language."""
    return str(_UNIT_SYMBOLS.get(unit, unit))


def amount(quantity: Decimal, unit: str) -> str:
    """A quantity with its unit as people read it: "1,234.5 kg", "1 case", "48 cases",
    "48 箱"; thousands grouped, no trailing zeros, counted units in the plural."""
    number = grouped(quantity)
    if unit == Unit.CASE:
        return npgettext("quantity", "%(number)s case", "%(number)s cases", _count(quantity)) % {
            "number": number
        }
    if unit == Unit.PCS:
        return npgettext("quantity", "%(number)s piece", "%(number)s pieces", _count(quantity)) % {
            "number": number
        }
    return f"{number} {unit_symbol(unit)}"


def _count(quantity: Decimal) -> int:
    # ngettext takes a whole number: 1 is singular, and 0.5 or 1.5 cases read as plural.
    return 1 if quantity == 1 else 2


gtin_validator = RegexValidator(r"^\d{8}$|^\d{12,14}$", _("A GTIN has 8, 12, 13 or 14 digits."))


class Item(Named):
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True, validators=[gtin_validator])
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    output_tolerance_percent = percent_field(
        _("output tolerance (%)"),
        default=Decimal(5),
        help_text=_(
            "How much more than its bill of materials allows a step may record as made of "
            "this item before a quality user must confirm it."
        ),
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["code"], name="items_item_code_unique")]
        indexes = [models.Index(fields=["gtin"], name="items_item_gtin_idx")]


class BomLine(models.Model):
    """One component of an item's bill of materials, per one unit of the parent."""

    parent = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="bom_lines", verbose_name=_("item")
    )
    component = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="used_in", verbose_name=_("component")
    )
    quantity = models.DecimalField(
        _("quantity per unit"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )

    class Meta:
        verbose_name = _("bill of materials line")
        verbose_name_plural = _("bill of materials")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "component"], name="items_bomline_component_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.code} ← {self.quantity} {self.component.code}"
