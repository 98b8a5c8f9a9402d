# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Items with a valid GTIN and bills of materials without an item made from itself (beyond
a rework allowance), each change recorded with its reason."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import BomLineFactory, ItemFactory
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core.errors import Refused
from tracelot.items.models import BomLine, Item, ItemKind
from tracelot.items.services import bom_line_save, item_save

pytestmark = pytest.mark.django_db


def test_an_item_with_a_valid_gtin_is_saved_and_recorded(by, planner):
    item = Item(code="DPC1K", name="Dumplings 1 kg", kind=ItemKind.FINISHED, gtin="16954321300015")
    item_save(item=item, reason="new product", by=by)
    change = MasterDataChange.objects.get()
    assert (change.action, change.user, change.reason) == (
        ChangeAction.ADDED,
        planner,
        "new product",
    )
    assert change.changes["gtin"] == ["", "16954321300015"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "GTIN 16954321300014 has a wrong check digit: it should end in 5."),
        ("zh-hans", "GTIN 16954321300014 的校验位不对：最后一位应为 5。"),
    ],
)
def test_an_item_with_a_wrong_gtin_check_digit_is_refused(by, language, message):
    item = Item(code="DPC1K", name="Dumplings", kind=ItemKind.FINISHED, gtin="16954321300014")
    with translation.override(language), pytest.raises(Refused) as refused:
        item_save(item=item, reason="new product", by=by)
    assert (refused.value.code, refused.value.message) == ("gtin_check_digit", message)
    assert not Item.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_bill_of_materials_line_is_saved_and_recorded(by):
    dough = ItemFactory(code="DOUGH", name="Dough", kind=ItemKind.INTERMEDIATE)
    flour = ItemFactory(code="FLOUR", name="Flour")
    bom_line_save(
        bom_line=BomLine(parent=dough, component=flour, quantity=Decimal("0.62")),
        reason="recipe v1",
        by=by,
    )
    change = MasterDataChange.objects.get()
    assert change.changes == {
        "parent": ["", "DOUGH Dough"],
        "component": ["", "FLOUR Flour"],
        "quantity": ["", "0.62"],
    }


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "FLOUR is used in DOUGH: its quantity per unit must be more than 0."),
        ("zh-hans", "FLOUR 用于 DOUGH：单位用量必须大于 0。"),
    ],
)
@pytest.mark.parametrize("quantity", ["0", "-1"])
def test_a_quantity_that_is_not_positive_is_refused(by, language, message, quantity):
    line = BomLine(
        parent=ItemFactory(code="DOUGH", kind=ItemKind.INTERMEDIATE),
        component=ItemFactory(code="FLOUR"),
        quantity=Decimal(quantity),
    )
    with translation.override(language), pytest.raises(Refused) as refused:
        bom_line_save(bom_line=line, reason="recipe v1", by=by)
    assert (refused.value.code, refused.value.message) == ("bom_quantity_not_positive", message)
    assert not BomLine.objects.exists()
    assert not MasterDataChange.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "FROZEN cannot be made from itself; it may only list itself as a rework allowance "
            "of at most 0.1 per unit.",
        ),
        ("zh-hans", "FROZEN 不能用自身来生产；只能把自身列为返工余量，每单位最多 0.1。"),
    ],
)
def test_an_item_made_from_itself_beyond_its_rework_allowance_is_refused(by, language, message):
    frozen = ItemFactory(code="FROZEN", kind=ItemKind.INTERMEDIATE)
    line = BomLine(parent=frozen, component=frozen, quantity=Decimal("1"))
    with translation.override(language), pytest.raises(Refused) as refused:
        bom_line_save(bom_line=line, reason="recipe v1", by=by)
    assert (refused.value.code, refused.value.message) == ("bom_item_in_itself", message)
    assert not BomLine.objects.exists()


def test_the_demo_plants_rework_line_is_allowed(by):
    frozen = ItemFactory(code="FROZEN", kind=ItemKind.INTERMEDIATE)
    bom_line_save(
        bom_line=BomLine(parent=frozen, component=frozen, quantity=Decimal("0.01")),
        reason="re-freeze allowance",
        by=by,
    )
    assert BomLine.objects.get().quantity == Decimal("0.01")


def test_raising_a_rework_line_above_the_allowance_is_refused_and_keeps_the_stored_one(by):
    frozen = ItemFactory(code="FROZEN", kind=ItemKind.INTERMEDIATE)
    line = BomLineFactory(parent=frozen, component=frozen, quantity=Decimal("0.01"))
    line.quantity = Decimal("0.5")
    with pytest.raises(Refused):
        bom_line_save(bom_line=line, reason="more rework", by=by, fields=["quantity"])
    assert BomLine.objects.get().quantity == Decimal("0.01")
    assert not MasterDataChange.objects.exists()


def test_an_empty_reason_is_refused(by):
    with pytest.raises(Refused) as refused:
        item_save(item=Item(code="X", name="X", kind=ItemKind.RAW), reason=" ", by=by)
    assert refused.value.code == "reason_missing"
    assert not Item.objects.exists()
