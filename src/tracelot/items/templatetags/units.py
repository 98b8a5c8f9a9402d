"""`{{ lot.quantity_on_hand|plain }} {{ lot.unit|unit }}`: a quantity and its unit as people
read them, in the reader's language."""

from decimal import Decimal

from django import template

from tracelot.core.numbers import plain
from tracelot.items.models import unit_symbol

register = template.Library()


@register.filter(name="unit")
def unit_filter(value: str) -> str:
    return unit_symbol(value or "")


@register.filter(name="plain")
def plain_filter(value: Decimal | None) -> str:
    """`{{ quantity|plain }}`: 2947.2, not 2947.2000 or 2.9472E+3 (core.numbers.plain)."""
    return "" if value is None else plain(Decimal(value))
