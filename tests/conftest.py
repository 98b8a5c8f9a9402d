"""Shared fixtures: the database engine in use, and named personas."""

import pytest
from django.utils import translation

from tests.factories import OperatorFactory, SiteFactory


@pytest.fixture
def site(db):
    return SiteFactory()


@pytest.fixture
def operator(site):
    """Li Wei, a shop-floor operator."""
    return OperatorFactory(site=site, code="OP-LIWEI", name="Li Wei", name_zh="李伟")


@pytest.fixture
def quality_manager(site):
    """Zhang Min, the quality manager who answers for release decisions."""
    return OperatorFactory(site=site, code="QM-ZHANG", name="Zhang Min", name_zh="张敏")


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield
