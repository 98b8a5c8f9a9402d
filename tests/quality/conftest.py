"""Fixtures for quality: an incoming-inspection plan for flour."""

from decimal import Decimal

import pytest

from tracelot.quality.models import CharacteristicKind, InspectionPlan
from tracelot.quality.services import CharacteristicSpec, inspection_plan_save

MEASURED = CharacteristicKind.MEASURED
ATTRIBUTE = CharacteristicKind.ATTRIBUTE


@pytest.fixture
def flour_plan(flour, by) -> InspectionPlan:
    """Moisture 10-14 %, ash at most 0.55 %, and a pass/fail smell check."""
    return inspection_plan_save(
        item=flour,
        name="Flour incoming",
        characteristics=[
            CharacteristicSpec(
                code="MOIST",
                name="Moisture",
                name_zh="水分",
                unit="%",
                lower_limit=Decimal("10"),
                upper_limit=Decimal("14"),
            ),
            CharacteristicSpec(
                code="ASH", name="Ash", name_zh="灰分", unit="%", upper_limit=Decimal("0.55")
            ),
            CharacteristicSpec(code="SMELL", name="Smell", name_zh="气味", kind=ATTRIBUTE),
        ],
        reason="incoming inspection for flour",
        by=by,
    )


@pytest.fixture
def by_code(flour_plan):
    """Build the service's values dict from characteristic codes."""
    ids = {c.code: c.pk for c in flour_plan.characteristics.all()}

    def values(**by_code_values: object) -> dict[int, object]:
        return {ids[code]: value for code, value in by_code_values.items()}

    return values
