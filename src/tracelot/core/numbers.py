"""Quantities as people read them."""

from decimal import Decimal


def plain(quantity: Decimal) -> str:
    """`quantity` in plain digits without trailing zeros: 80, not 8E+1 or 80.0000."""
    # normalize() alone writes 80 as 8E+1
    return format(quantity.normalize(), "f")


def grouped(quantity: Decimal) -> str:
    """`quantity` for reading, thousands grouped: 12,480.5, not 12480.5000."""
    return format(quantity.normalize(), ",f")
