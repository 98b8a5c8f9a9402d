"""Choosing a rule, allocating and previewing lot codes, saving rules."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import (
    ItemFactory,
    LineFactory,
    LotFactory,
    ShiftFactory,
    SiteFactory,
    WorkOrderFactory,
)
from tests.lots.conftest import LotRuleFactory
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.items.models import ItemKind
from tracelot.lots.models import LotRule, LotSequence
from tracelot.lots.services import (
    lot_code_allocate,
    lot_code_preview,
    lot_rule_for_item,
    lot_rule_save,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int):
    return time_machine.travel(dt.datetime(year, month, day, 10, tzinfo=SHANGHAI), tick=False)


def _allocate(item, site, **kwargs) -> str:
    return lot_code_allocate(item=item, site=site, occurred_on=clock.today(), **kwargs)


def _default_rule(template: str, reset: str = "never") -> LotRule:
    return LotRuleFactory(template=template, reset=reset, is_default=True)


def test_every_token_is_filled_from_the_allocation(site):
    item = ItemFactory(code="FLOUR", kind=ItemKind.RAW)
    line = LineFactory(site=site, code="L2")
    shift = ShiftFactory(site=site, code="N")
    order = WorkOrderFactory(site=site, number="WO00042", item=item, line=line, shift=shift)
    _default_rule(
        "{item}|{kind}|{site}|{line}|{shift}|{order}|{yyyy}|{yy}|{mm}|{dd}|{julian}|{seq:3}{check}",
        reset="daily",
    )
    with _at(2025, 3, 14):
        code = _allocate(item, site, line=line, shift=shift, work_order=order)
    # The check digit covers the digits before it: 1 2 00042 2025 25 03 14 073 001.
    assert code == "FLOUR|raw|S1|L2|N|WO00042|2025|25|03|14|073|0010"


def test_a_work_order_supplies_its_line_and_shift(site):
    order = WorkOrderFactory(
        site=site, line=LineFactory(site=site, code="L7"), shift=ShiftFactory(site=site, code="B")
    )
    _default_rule("{line}{shift}-{seq:2}")
    assert _allocate(order.item, site, work_order=order) == "L7B-01"


def test_a_token_without_a_value_is_refused_and_writes_nothing(site, english):
    _default_rule("{item}-{line}-{seq:2}")
    with pytest.raises(Refused) as caught:
        _allocate(ItemFactory(), site)
    assert caught.value.code == "lot_rule_value_missing"
    assert caught.value.message == "Token {line} at position 8 needs a value, but none was given"
    assert not LotSequence.objects.exists()


def test_a_token_without_a_value_is_refused_in_chinese(site, chinese):
    _default_rule("{item}-{line}-{seq:2}")
    with pytest.raises(Refused) as caught:
        _allocate(ItemFactory(), site)
    assert caught.value.message.startswith("位置 8 处的标记 {line} 需要一个值")


def test_a_shared_rule_numbers_each_item_from_one(site):
    _default_rule("{item}-{seq:3}")
    flour, sugar = ItemFactory(code="FLOUR"), ItemFactory(code="SUGAR")
    codes = [_allocate(flour, site), _allocate(sugar, site), _allocate(flour, site)]
    assert codes == ["FLOUR-001", "SUGAR-001", "FLOUR-002"]


def test_a_daily_reset_starts_again_each_day(site):
    item = ItemFactory(code="X")
    _default_rule("{item}{yy}{mm}{dd}-{seq:2}", reset="daily")
    with _at(2025, 3, 14):
        assert [_allocate(item, site), _allocate(item, site)] == ["X250314-01", "X250314-02"]
    with _at(2025, 3, 15):
        assert _allocate(item, site) == "X250315-01"


def test_a_monthly_reset_counts_through_the_month(site):
    item = ItemFactory(code="X")
    _default_rule("{item}{yy}{mm}{dd}-{seq:2}", reset="monthly")
    with _at(2025, 3, 14):
        assert _allocate(item, site) == "X250314-01"
    with _at(2025, 3, 31):
        assert _allocate(item, site) == "X250331-02"
    with _at(2025, 4, 1):
        assert _allocate(item, site) == "X250401-01"


def test_a_yearly_reset_counts_through_the_year(site):
    item = ItemFactory(code="X")
    _default_rule("{item}{yyyy}{julian}-{seq:2}", reset="yearly")
    with _at(2025, 1, 1):
        assert _allocate(item, site) == "X2025001-01"
    with _at(2025, 12, 31):
        assert _allocate(item, site) == "X2025365-02"
    with _at(2026, 1, 1):
        assert _allocate(item, site) == "X2026001-01"


def test_a_rule_that_never_resets_keeps_counting_across_years(site):
    item = ItemFactory(code="X")
    _default_rule("{item}{yy}-{seq:2}", reset="never")
    with _at(2025, 12, 31):
        assert _allocate(item, site) == "X25-01"
    with _at(2026, 1, 1):
        assert _allocate(item, site) == "X26-02"


def test_the_item_rule_beats_the_kind_rule_beats_the_default(site):
    item = ItemFactory(kind=ItemKind.RAW)
    other_raw = ItemFactory(kind=ItemKind.RAW)
    packaging = ItemFactory(kind=ItemKind.PACKAGING)
    default = LotRuleFactory(is_default=True)
    kind_rule = LotRuleFactory(is_default=False, item_kind=ItemKind.RAW)
    item_rule = LotRuleFactory(is_default=False, item=item)
    assert lot_rule_for_item(item=item) == item_rule
    assert lot_rule_for_item(item=other_raw) == kind_rule
    assert lot_rule_for_item(item=packaging) == default
    item_rule.delete()
    assert lot_rule_for_item(item=item) == kind_rule
    kind_rule.delete()
    assert lot_rule_for_item(item=item) == default


def test_another_items_rule_does_not_apply(site):
    LotRuleFactory(is_default=False, item=ItemFactory())
    assert lot_rule_for_item(item=ItemFactory()) is None


def test_without_any_rule_the_fallback_numbers_per_item_and_day(site):
    item = ItemFactory(code="FLOUR")
    with _at(2025, 3, 14):
        assert _allocate(item, site) == "FLOUR-250314-0001"
        assert _allocate(item, site) == "FLOUR-250314-0002"
        assert _allocate(ItemFactory(code="SUGAR"), site) == "SUGAR-250314-0001"
    with _at(2025, 3, 15):
        assert _allocate(item, site) == "FLOUR-250315-0001"
    assert LotSequence.objects.filter(rule=None).count() == 3


def test_the_preview_shows_the_next_codes_and_consumes_nothing(site):
    item = ItemFactory(code="X")
    rule = _default_rule("{item}-{seq:3}")
    kwargs = {"rule": rule, "item": item, "site": site, "occurred_on": clock.today()}
    assert lot_code_preview(**kwargs, count=3) == ["X-001", "X-002", "X-003"]
    assert lot_code_preview(**kwargs, count=3) == ["X-001", "X-002", "X-003"]
    assert not LotSequence.objects.exists()
    assert _allocate(item, site) == "X-001"
    assert lot_code_preview(**kwargs) == ["X-002", "X-003", "X-004", "X-005", "X-006"]


def test_the_preview_of_the_fallback_rule(site):
    with _at(2025, 3, 14):
        codes = lot_code_preview(
            rule=None, item=ItemFactory(code="X"), site=site, occurred_on=clock.today(), count=2
        )
    assert codes == ["X-250314-0001", "X-250314-0002"]


def test_a_code_already_carried_by_a_lot_is_skipped(site):
    item = ItemFactory(code="X")
    rule = _default_rule("{item}-{seq:3}")
    LotFactory(code="X-002", item=item, site=site)
    LotFactory(code="X-003", item=item, site=site)
    preview = lot_code_preview(rule=rule, item=item, site=site, occurred_on=clock.today(), count=3)
    assert preview == ["X-001", "X-004", "X-005"]
    assert [_allocate(item, site) for _ in range(3)] == preview
    # The skipped numbers were consumed, never to be given again.
    assert LotSequence.objects.get().last_value == 5


def test_a_code_over_60_characters_is_refused_and_writes_nothing(site, english):
    _default_rule("{item}-" + "X" * 50 + "-{seq:4}")
    with pytest.raises(Refused) as caught:
        _allocate(ItemFactory(code="FLOUR"), site)
    assert caught.value.code == "lot_code_too_long"
    assert "has 61 characters; at most 60 are allowed" in caught.value.message
    assert not LotSequence.objects.exists()


def test_a_code_over_60_characters_is_refused_in_chinese(site, chinese):
    _default_rule("{item}-" + "X" * 50 + "-{seq:4}")
    with pytest.raises(Refused) as caught:
        _allocate(ItemFactory(code="FLOUR"), site)
    assert "有 61 个字符" in caught.value.message
    assert "最多允许 60 个" in caught.value.message


def test_saving_a_rule_checks_and_stores_it(db, by):
    rule = lot_rule_save(
        name="Raw",
        template="{item}-{yy}-{seq:3}",
        reset="yearly",
        item_kind="raw",
        reason="numbering for raw materials",
        by=by,
    )
    rule = lot_rule_save(
        rule=rule,
        name="Raw",
        template="{item}-{yy}{mm}-{seq:3}",
        reset="monthly",
        item_kind="raw",
        reason="numbering for raw materials",
        by=by,
    )
    stored = LotRule.objects.get()
    assert (stored.pk, stored.template, stored.reset) == (
        rule.pk,
        "{item}-{yy}{mm}-{seq:3}",
        "monthly",
    )


def test_saving_an_invalid_template_is_refused_and_writes_nothing(db, english, by):
    with pytest.raises(Refused) as caught:
        lot_rule_save(
            name="Bad",
            template="{item}-{sq:3}",
            reset="never",
            is_default=True,
            reason="numbering for raw materials",
            by=by,
        )
    assert caught.value.message == "Unknown token {sq:3} at position 8"
    assert not LotRule.objects.exists()


def test_a_rule_must_apply_to_exactly_one_target(db, english, by):
    with pytest.raises(Refused) as caught:
        lot_rule_save(
            name="Both",
            template="{seq:3}",
            reset="never",
            item_kind="raw",
            is_default=True,
            reason="numbering for raw materials",
            by=by,
        )
    assert caught.value.message == (
        "A rule applies to exactly one of: an item, an item kind, or the default"
    )
    with pytest.raises(Refused):
        lot_rule_save(
            name="None",
            template="{seq:3}",
            reset="never",
            reason="numbering for raw materials",
            by=by,
        )
    assert not LotRule.objects.exists()


def test_a_rule_must_apply_to_exactly_one_target_in_chinese(db, chinese, by):
    with pytest.raises(Refused) as caught:
        lot_rule_save(
            name="None",
            template="{seq:3}",
            reset="never",
            reason="numbering for raw materials",
            by=by,
        )
    assert caught.value.message.startswith("规则只能适用于以下一项")
    assert caught.value.message.endswith("一个物料、一个物料类别或默认")


def test_codes_from_different_sites_share_a_rule_unless_the_template_names_the_site(db):
    item = ItemFactory(code="X")
    east, west = SiteFactory(code="E"), SiteFactory(code="W")
    _default_rule("{site}-{item}-{seq:2}")
    assert [_allocate(item, east), _allocate(item, west)] == ["E-X-01", "W-X-01"]


def test_saving_a_rule_records_who_changed_it_from_where_and_why(db, by, planner):
    rule = lot_rule_save(
        name="Raw",
        template="{item}-{yy}-{seq:3}",
        reset="yearly",
        item_kind="raw",
        reason="numbering for raw materials",
        by=by,
    )
    lot_rule_save(
        rule=rule,
        name="Raw",
        template="{item}-{yy}{mm}-{seq:3}",
        reset="monthly",
        item_kind="raw",
        reason="monthly counts for the auditors",
        by=by,
    )
    added, changed = MasterDataChange.objects.order_by("pk")
    assert (added.action, added.user, added.address) == (ChangeAction.ADDED, planner, "10.0.8.21")
    assert added.changes["template"] == ["", "{item}-{yy}-{seq:3}"]
    assert (changed.action, changed.reason) == (
        ChangeAction.CHANGED,
        "monthly counts for the auditors",
    )
    assert changed.changes == {
        "template": ["{item}-{yy}-{seq:3}", "{item}-{yy}{mm}-{seq:3}"],
        "reset": ["yearly", "monthly"],
    }


def test_a_rule_is_not_saved_without_a_reason(db, by):
    with pytest.raises(Refused) as caught:
        lot_rule_save(name="Raw", template="{seq:3}", is_default=True, reason="", by=by)
    assert caught.value.code == "reason_missing"
    assert not LotRule.objects.exists()
