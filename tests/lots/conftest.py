"""Factories and fixtures for lot-number rules."""

import factory
import pytest

from tracelot.lots.models import LotRule, SequenceReset


class LotRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LotRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    template = "{item}-{yy}{mm}{dd}-{seq:3}"
    is_default = True
    reset = SequenceReset.DAILY


@pytest.fixture
def rule_factory():
    return LotRuleFactory
