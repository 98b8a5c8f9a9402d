"""Quantities as people read them: thousands grouped, no trailing zeros, plural units."""

from decimal import Decimal

import pytest
from django.template import Context, Template
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


def test_a_count_in_a_sentence_is_grouped_in_both_languages():
    page = Template(
        "{% load i18n units %}{% blocktranslate trimmed with shown=n|grouped count counter=n %}"
        "{{ shown }} lot on hold{% plural %}{{ shown }} lots on hold{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert page.render(Context({"n": 77119})) == "77,119 lots on hold"
    with translation.override("zh-hans"):
        assert page.render(Context({"n": 77119})) == "77,119 个批次已暂扣"
