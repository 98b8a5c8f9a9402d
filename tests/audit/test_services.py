# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Saving and deleting master data: validated, written and recorded with who, when, where
from, before and after, and why; a refusal writes nothing."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group

from tests.factories import BomLineFactory, ItemFactory, LotFactory
from tracelot.accounts.roles import roles_sync
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.audit.services import ChangedBy, master_data_delete, master_data_save
from tracelot.core.errors import Refused
from tracelot.items.models import BomLine, Item, ItemKind

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def new_item(**fields) -> Item:
    values = {"code": "FLOUR", "name": "Flour", "kind": ItemKind.RAW, "unit": "kg"}
    return Item(**{**values, **fields})


def test_adding_a_record_records_who_when_from_where_its_values_and_why(by, planner):
    moment = dt.datetime(2025, 3, 14, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        item = master_data_save(record=new_item(shelf_life_days=180), reason=" new grade ", by=by)

    change = MasterDataChange.objects.get()
    assert (change.action, change.object_id) == (ChangeAction.ADDED, str(item.pk))
    assert (change.user, change.address, change.changed_at) == (planner, "10.0.8.21", moment)
    assert change.reason == "new grade"
    assert change.object_repr == "FLOUR Flour"
    assert change.changes == {
        "code": ["", "FLOUR"],
        "name": ["", "Flour"],
        "kind": ["", "raw"],
        "unit": ["", "kg"],
        "shelf_life_days": ["", "180"],
        "output_tolerance_percent": ["", "5"],
    }


def test_a_change_is_recorded_against_the_row_as_stored_not_as_the_caller_last_saw_it(by):
    item = ItemFactory(code="FLOUR", name="Flour", shelf_life_days=365)
    seen = Item.objects.get(pk=item.pk)
    Item.objects.filter(pk=item.pk).update(name="Flour T55")  # someone else, meanwhile

    seen.name = "Flour T65"
    master_data_save(record=seen, reason="mill changed the grade", by=by)

    change = MasterDataChange.objects.get()
    assert change.action == ChangeAction.CHANGED
    assert change.changes == {"name": ["Flour T55", "Flour T65"]}


def test_a_save_that_changes_nothing_records_nothing(by):
    item = ItemFactory(shelf_life_days=365)
    item.shelf_life_days = 365
    master_data_save(record=item, reason="looked at it", by=by)
    assert not MasterDataChange.objects.exists()


def test_fields_limit_what_a_change_writes_and_records(by):
    item = ItemFactory(name="Flour", shelf_life_days=365)
    item.name, item.shelf_life_days = "Wheat flour", 90

    master_data_save(record=item, reason="renamed", by=by, fields=["name"])

    stored = Item.objects.get(pk=item.pk)
    assert (stored.name, stored.shelf_life_days) == ("Wheat flour", 365)
    assert MasterDataChange.objects.get().changes == {"name": ["Flour", "Wheat flour"]}


def test_a_related_record_is_recorded_by_its_code_and_name_not_its_key(by):
    line = BomLineFactory(component=ItemFactory(code="FLOUR", name="Flour"))
    line.component = ItemFactory(code="RYE", name="Rye flour")

    master_data_save(record=line, reason="rye recipe", by=by)

    assert MasterDataChange.objects.get().changes == {"component": ["FLOUR Flour", "RYE Rye flour"]}


def test_many_to_many_values_are_recorded_and_passwords_never(by, django_user_model):
    roles_sync()
    user = django_user_model(username="wang")
    user.set_password("a-long-secret-1")
    master_data_save(record=user, reason="new technician", by=by)
    added = MasterDataChange.objects.get()
    assert "password" not in added.changes
    assert "a-long-secret-1" not in str(added.changes)

    user.set_password("another-secret-2")
    master_data_save(
        record=user,
        reason="took over QC on line 2",
        by=by,
        related={"groups": Group.objects.filter(name__in=["quality", "warehouse"])},
    )

    changed = MasterDataChange.objects.latest("pk")
    assert changed.changes == {"groups": ["", "quality, warehouse"]}
    assert django_user_model.objects.get(pk=user.pk).check_password("another-secret-2")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Say why: every master-data change records its reason."),
        ("zh-hans", "请说明原因：每一次主数据变更都要记录原因。"),
    ],
)
def test_an_empty_reason_is_refused_and_nothing_is_written(by, language, message):
    from django.utils import translation

    with translation.override(language), pytest.raises(Refused) as refused:
        master_data_save(record=new_item(), reason="   ", by=by)

    assert (refused.value.code, refused.value.message) == ("reason_missing", message)
    assert not Item.objects.exists()
    assert not MasterDataChange.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "GTIN: A GTIN has 8, 12, 13 or 14 digits."),
        ("zh-hans", "GTIN：GTIN 应为 8、12、13 或 14 位数字。"),
    ],
)
def test_an_invalid_record_is_refused_in_the_readers_language_and_nothing_is_written(
    by, language, message
):
    from django.utils import translation

    with translation.override(language), pytest.raises(Refused) as refused:
        master_data_save(record=new_item(gtin="12345"), reason="new grade", by=by)

    assert (refused.value.code, refused.value.message) == ("record_invalid", message)
    assert refused.value.detail["field"] == "gtin"
    assert not Item.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_duplicate_code_is_refused_and_the_stored_record_is_unchanged(by, english):
    ItemFactory(code="FLOUR", name="Flour")

    with pytest.raises(Refused) as refused:
        master_data_save(record=new_item(name="Other flour"), reason="typed twice", by=by)

    assert refused.value.code == "record_invalid"
    assert "Item with this Code already exists." in refused.value.message
    assert Item.objects.get().name == "Flour"
    assert not MasterDataChange.objects.exists()


def test_a_clash_written_meanwhile_is_refused_not_raised_as_a_database_error(by, english):
    item = new_item()
    # Validation has passed when the other transaction's row appears.
    item.full_clean = lambda *args, **kwargs: None
    ItemFactory(code="FLOUR")

    with pytest.raises(Refused) as refused:
        master_data_save(record=item, reason="new grade", by=by)

    assert refused.value.code == "record_conflict"
    assert Item.objects.count() == 1
    assert not MasterDataChange.objects.exists()


def test_changing_a_record_deleted_meanwhile_is_refused(by, english):
    item = ItemFactory(code="FLOUR")
    Item.objects.filter(pk=item.pk).delete()
    item.name = "Wheat flour"

    with pytest.raises(Refused) as refused:
        master_data_save(record=item, reason="renamed", by=by)

    assert refused.value.code == "record_missing"
    assert "FLOUR" in refused.value.message
    assert not MasterDataChange.objects.exists()


def test_deleting_records_the_record_as_it_was_and_what_went_with_it(by):
    line = BomLineFactory(
        parent=ItemFactory(code="DOUGH", name="Dough"),
        component=ItemFactory(code="FLOUR", name="Flour"),
        quantity=Decimal("0.8"),
    )
    dough = line.parent

    master_data_delete(record=dough, reason="recipe withdrawn", by=by)

    assert not Item.objects.filter(code="DOUGH").exists()
    assert not BomLine.objects.exists()
    item, bom_line = MasterDataChange.objects.order_by("pk")
    assert (item.action, item.object_repr, item.reason) == (
        ChangeAction.DELETED,
        "DOUGH Dough",
        "recipe withdrawn",
    )
    assert item.changes["code"] == ["DOUGH", ""]
    assert (bom_line.action, bom_line.content_type.model) == (ChangeAction.DELETED, "bomline")
    assert bom_line.changes["component"] == ["FLOUR Flour", ""]
    assert bom_line.changes["quantity"] == ["0.8000", ""]
    assert dough.pk is None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "FLOUR Flour cannot be deleted: lot LOT-1 still refers to it."),
        ("zh-hans", "FLOUR 面粉 不能删除：批次 LOT-1 仍在引用它。"),
    ],
)
def test_deleting_a_record_still_in_use_is_refused_and_deletes_nothing(by, language, message):
    from django.utils import translation

    flour = ItemFactory(code="FLOUR", name="Flour", name_zh="面粉")
    LotFactory(item=flour, code="LOT-1")

    with translation.override(language), pytest.raises(Refused) as refused:
        master_data_delete(record=flour, reason="no longer bought", by=by)

    assert (refused.value.code, refused.value.message) == ("record_in_use", message)
    assert Item.objects.filter(pk=flour.pk).exists()
    assert not MasterDataChange.objects.exists()


def test_a_delete_without_a_reason_is_refused(by):
    flour = ItemFactory()
    with pytest.raises(Refused, match="Say why"):
        master_data_delete(record=flour, reason="", by=by)
    assert Item.objects.filter(pk=flour.pk).exists()


def test_a_change_from_a_command_has_no_address(planner):
    master_data_save(record=new_item(), reason="imported", by=ChangedBy(user=planner))
    assert MasterDataChange.objects.get().address is None
