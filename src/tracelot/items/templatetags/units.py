"""`{{ lot.unit|unit }}`: a unit as it is written after a quantity, in the reader's language."""

from django import template

from tracelot.items.models import unit_symbol

register = template.Library()


@register.filter(name="unit")
def unit_filter(value: str) -> str:
    return unit_symbol(value or "")
