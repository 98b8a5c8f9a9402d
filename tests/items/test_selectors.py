"""How much of an item another holds, through every level of the bill of materials."""

from decimal import Decimal

import pytest

from tests.factories import BomLineFactory, ItemFactory, WorkOrderStepFactory
from tracelot.capture.services import bom_progress
from tracelot.items.models import ItemKind
from tracelot.items.selectors import bom_quantity_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def dumplings(flour, pork, dough):
    """A case of dumplings holds 10 kg of them; a kg of dumplings 0.6 kg of dough and some
    rework of itself; dough is 0.8 flour and 0.2 pork (conftest)."""
    case = ItemFactory(code="CASE", kind=ItemKind.FINISHED, unit="case")
    loose = ItemFactory(code="LOOSE", kind=ItemKind.INTERMEDIATE)
    BomLineFactory(parent=case, component=loose, quantity=Decimal(10))
    BomLineFactory(parent=loose, component=dough, quantity=Decimal("0.6"))
    BomLineFactory(parent=loose, component=pork, quantity=Decimal("0.4"))
    BomLineFactory(parent=loose, component=loose, quantity=Decimal("0.05"))  # rework
    return case


def test_a_component_is_counted_through_every_level_and_path(dumplings, dough, pork, flour):
    assert bom_quantity_in(parent_id=dumplings.pk, component_id=dough.pk) == Decimal(6)
    assert bom_quantity_in(parent_id=dumplings.pk, component_id=flour.pk) == Decimal("4.8")
    # pork goes in twice: in the dough (10 x 0.6 x 0.2) and on its own (10 x 0.4)
    assert bom_quantity_in(parent_id=dumplings.pk, component_id=pork.pk) == Decimal("5.2")
    assert bom_quantity_in(parent_id=dumplings.pk, component_id=dumplings.pk) == 1
    assert bom_quantity_in(parent_id=dough.pk, component_id=dumplings.pk) is None


def test_the_mixing_step_of_an_order_for_cases_plans_its_dough_not_cases(dumplings, dough, site):
    mixing = WorkOrderStepFactory(
        work_order__site=site,
        work_order__item=dumplings,
        work_order__planned_quantity=Decimal(120),
        work_order__line__site=site,
        work_order__shift__site=site,
        output_item=dough,
    )
    required = {row.item_code: row.required for row in bom_progress(step=mixing)}
    # 120 cases hold 720 kg of dough: 576 kg of flour and 144 kg of pork
    assert required == {"FLOUR": Decimal(576), "PORK": Decimal(144)}
