"""`{{ lot.quantity_on_hand|amount:lot.unit }}`: a quantity and its unit as people read them,
in the reader's language (1,234.5 kg; 48 cases)."""

from decimal import Decimal

from django import template

from tracelot.core.numbers import grouped
from tracelot.items.models import amount, unit_symbol

register = template.Library()


@register.filter(name="unit")
def unit_filter(value: str) -> str:
    return unit_symbol(value or "")


@register.filter(name="amount")
def amount_filter(value: Decimal | None, unit: str) -> str:
    """`{{ quantity|amount:unit }}`: 1,234.5 kg, 1 case, 48 cases (items.models.amount)."""
    return "" if value is None else amount(Decimal(value), unit or "")


@register.filter(name="grouped")
def grouped_filter(value: int | Decimal) -> str:
    """`{{ count|grouped }}`: 77,119, not 77119, for counts a reader takes in at a glance."""
    return grouped(Decimal(value))
