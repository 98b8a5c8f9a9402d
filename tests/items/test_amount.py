"""Quantities as people read them: thousands grouped, no trailing zeros, plural units."""

from decimal import Decimal

import pytest
from django.utils import translation

from tracelot.items.models import amount


@pytest.mark.parametrize(
    ("quantity", "unit", "english", "chinese"),
    [
        ("739.4000", "kg", "739.4 kg", "739.4 kg"),
        ("12480.5", "kg", "12,480.5 kg", "12,480.5 kg"),
        ("1", "case", "1 case", "1 箱"),
        ("48", "case", "48 cases", "48 箱"),
        ("1.5", "case", "1.5 cases", "1.5 箱"),
        ("1200", "pcs", "1,200 pieces", "1,200 件"),
        ("1", "pcs", "1 piece", "1 件"),
        ("2.5", "l", "2.5 L", "2.5 L"),
    ],
)
def test_a_quantity_reads_naturally_in_both_languages(quantity, unit, english, chinese):
    with translation.override("en"):
        assert amount(Decimal(quantity), unit) == english
    with translation.override("zh-hans"):
        assert amount(Decimal(quantity), unit) == chinese
