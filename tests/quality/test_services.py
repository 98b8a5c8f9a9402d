"""Inspection plans and inspections: judging values, one ledger event, idempotency, auto-hold."""

from decimal import Decimal

import pytest

from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core.errors import Refused
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import LotStatus
from tracelot.quality.models import (
    Characteristic,
    Inspection,
    InspectionPlan,
    InspectionResult,
    InspectionValue,
)
from tracelot.quality.services import (
    CharacteristicSpec,
    inspection_plan_save,
    inspection_record,
)

from .conftest import ATTRIBUTE

pytestmark = pytest.mark.django_db

GOOD = {"MOIST": "12.5", "ASH": "0.4", "SMELL": "pass"}


def counts() -> tuple[int, int, int]:
    return Event.objects.count(), Inspection.objects.count(), InspectionValue.objects.count()


@pytest.fixture
def inspect(receive, flour, flour_plan, by_code, quality_manager):
    """Inspect a fresh flour lot (or `lot`) with GOOD values overridden by `changes`."""

    def _inspect(*, lot=None, key="qc-1", auto_hold=False, **changes):
        lot = lot or receive(flour, release=False)
        return inspection_record(
            lot=lot,
            plan=flour_plan,
            values=by_code(**{**GOOD, **changes}),
            inspector=quality_manager,
            key=key,
            auto_hold=auto_hold,
        )

    return _inspect


# --- plans


def test_saving_a_plan_keeps_its_characteristics_in_order(flour_plan):
    characteristics = list(flour_plan.characteristics.all())
    assert [c.code for c in characteristics] == ["MOIST", "ASH", "SMELL"]
    assert [c.sequence for c in characteristics] == [1, 2, 3]
    assert characteristics[0].limits_display == "10 ~ 14"
    assert characteristics[1].limits_display == "≤ 0.55"
    assert flour_plan.active


def test_a_new_active_plan_retires_the_items_previous_one(flour, flour_plan, by):
    newer = inspection_plan_save(
        item=flour,
        name="Flour incoming v2",
        characteristics=[CharacteristicSpec(code="SMELL", name="Smell", kind=ATTRIBUTE)],
        reason="new incoming-inspection spec",
        by=by,
    )
    flour_plan.refresh_from_db()
    assert newer.active
    assert not flour_plan.active


def test_updating_a_plan_changes_limits_in_place_and_removes_unused_characteristics(
    flour, flour_plan, by
):
    moisture = flour_plan.characteristics.get(code="MOIST")
    inspection_plan_save(
        plan=flour_plan,
        item=flour,
        name="Flour incoming",
        characteristics=[
            CharacteristicSpec(
                code="MOIST", name="Moisture", lower_limit=Decimal(11), upper_limit=Decimal(13)
            )
        ],
        reason="new incoming-inspection spec",
        by=by,
    )
    moisture.refresh_from_db()
    assert (moisture.lower_limit, moisture.upper_limit) == (11, 13)
    assert list(flour_plan.characteristics.values_list("code", flat=True)) == ["MOIST"]


def test_a_characteristic_with_results_cannot_be_removed_from_its_plan(
    flour, flour_plan, inspect, by
):
    inspect()
    with pytest.raises(Refused) as refused:
        inspection_plan_save(
            plan=flour_plan,
            item=flour,
            name="Flour incoming",
            characteristics=[CharacteristicSpec(code="SMELL", name="Smell", kind=ATTRIBUTE)],
            reason="new incoming-inspection spec",
            by=by,
        )
    assert refused.value.code == "characteristic_in_use"
    assert flour_plan.characteristics.count() == 3


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (
            CharacteristicSpec(code="X", name="X", kind=ATTRIBUTE, upper_limit=Decimal(1)),
            "characteristic_attribute_limits",
        ),
        (
            CharacteristicSpec(code="X", name="X", lower_limit=Decimal(2), upper_limit=Decimal(1)),
            "characteristic_limits_reversed",
        ),
        (CharacteristicSpec(code="X", name="X"), "characteristic_limits_missing"),
        (
            CharacteristicSpec(code="", name="X", upper_limit=Decimal(1)),
            "characteristic_incomplete",
        ),
    ],
)
def test_a_bad_characteristic_is_refused_and_no_plan_is_written(flour, spec, code, by):
    with pytest.raises(Refused) as refused:
        inspection_plan_save(
            item=flour,
            name="Bad",
            characteristics=[spec],
            reason="new incoming-inspection spec",
            by=by,
        )
    assert refused.value.code == code
    assert not InspectionPlan.objects.exists()
    assert not Characteristic.objects.exists()


def test_a_plan_refuses_a_characteristic_code_twice(flour, by):
    twice = [CharacteristicSpec(code="X", name="X", kind=ATTRIBUTE)] * 2
    with pytest.raises(Refused, match="X appears more than once"):
        inspection_plan_save(
            item=flour,
            name="Twice",
            characteristics=twice,
            reason="new incoming-inspection spec",
            by=by,
        )


def test_saving_a_plan_records_it_and_each_characteristic_with_who_and_why(flour_plan, planner):
    changes = list(MasterDataChange.objects.order_by("pk"))
    assert [c.content_type.model for c in changes] == ["inspectionplan", *["characteristic"] * 3]
    assert {(c.action, c.user, c.reason) for c in changes} == {
        (ChangeAction.ADDED, planner, "incoming inspection for flour")
    }
    assert changes[1].changes["upper_limit"] == ["", "14"]


def test_changing_a_plan_records_changed_and_removed_characteristics(flour, flour_plan, by):
    before = MasterDataChange.objects.count()
    inspection_plan_save(
        plan=flour_plan,
        item=flour,
        name="Flour incoming",
        characteristics=[
            CharacteristicSpec(
                code="MOIST", name="Moisture", lower_limit=Decimal(10), upper_limit=Decimal(13)
            )
        ],
        reason="tighter moisture limit from the mill audit",
        by=by,
    )
    changes = list(MasterDataChange.objects.order_by("pk")[before:])
    assert {(c.action, c.object_repr) for c in changes} == {
        (ChangeAction.DELETED, "ASH Ash"),
        (ChangeAction.DELETED, "SMELL Smell"),
        (ChangeAction.CHANGED, "MOIST Moisture"),
    }
    moisture = next(c for c in changes if c.action == ChangeAction.CHANGED)
    assert moisture.changes["upper_limit"] == ["14.000000", "13"]
    assert "name_zh" in moisture.changes  # the spec gave no Chinese name this time


def test_the_plan_a_new_active_plan_retires_is_recorded_as_changed(flour, flour_plan, by):
    inspection_plan_save(
        item=flour,
        name="Flour incoming v2",
        characteristics=[CharacteristicSpec(code="SMELL", name="Smell", kind=ATTRIBUTE)],
        reason="new spec",
        by=by,
    )
    retired = MasterDataChange.objects.get(
        content_type__model="inspectionplan", object_id=str(flour_plan.pk), action="changed"
    )
    assert (retired.changes, retired.reason) == ({"active": ["True", "False"]}, "new spec")


def test_a_plan_is_not_saved_without_a_reason(flour, by):
    with pytest.raises(Refused) as refused:
        inspection_plan_save(
            item=flour,
            name="Flour",
            characteristics=[CharacteristicSpec(code="SMELL", name="Smell", kind=ATTRIBUTE)],
            reason="",
            by=by,
        )
    assert refused.value.code == "reason_missing"
    assert not InspectionPlan.objects.exists()


# --- recording


@pytest.mark.parametrize(
    ("moisture", "expected"),
    [
        ("10", "pass"),
        ("14", "pass"),
        ("14.000", "pass"),
        ("12", "pass"),
        ("9.999", "fail"),
        ("14.001", "fail"),
        ("-3", "fail"),
    ],
)
def test_a_measured_value_passes_within_its_limits_boundaries_included(inspect, moisture, expected):
    inspection = inspect(MOIST=moisture)
    value = inspection.values.get(characteristic__code="MOIST")
    assert value.result == expected
    assert value.value == Decimal(moisture)
    assert inspection.result == expected


def test_an_open_lower_limit_passes_anything_up_to_the_upper_limit(inspect):
    assert inspect(ASH="0.55").result == InspectionResult.PASS
    assert inspect(ASH="0.56", key="qc-2").result == InspectionResult.FAIL


@pytest.mark.parametrize(
    ("smell", "expected"),
    [("pass", "pass"), ("fail", "fail"), (True, "pass"), (False, "fail")],
)
def test_an_attribute_is_judged_pass_or_fail(inspect, smell, expected):
    inspection = inspect(SMELL=smell)
    value = inspection.values.get(characteristic__code="SMELL")
    assert (value.passed, value.result, value.value) == (expected == "pass", expected, None)
    assert inspection.result == expected


def test_one_failed_characteristic_fails_the_inspection_and_the_others_keep_their_own_result(
    inspect,
):
    inspection = inspect(ASH="0.9")
    results = dict(inspection.values.values_list("characteristic__code", "result"))
    assert results == {"MOIST": "pass", "ASH": "fail", "SMELL": "pass"}
    assert inspection.result == InspectionResult.FAIL
    assert not inspection.passed


def test_an_inspection_records_one_ledger_event_with_every_value(inspect, quality_manager):
    before = Event.objects.filter(kind=EventKind.INSPECT).count()
    inspection = inspect(ASH="0.9")
    event = inspection.event
    assert Event.objects.filter(kind=EventKind.INSPECT).count() == before + 1
    assert event.kind == EventKind.INSPECT
    assert event.lot_id == inspection.lot_id
    assert event.actor == quality_manager
    assert event.data["characteristic"] == "plan:Flour incoming"
    assert event.data["result"] == "fail"
    assert event.data["values"]["ASH"] == {"value": "0.9", "passed": None, "result": "fail"}
    assert event.data["values"]["SMELL"]["passed"] is True
    assert inspection.inspected_at == event.occurred_at


def test_the_inspected_limits_are_kept_when_the_plan_changes_later(flour, flour_plan, inspect, by):
    inspection = inspect()
    inspection_plan_save(
        plan=flour_plan,
        item=flour,
        name="Flour incoming",
        characteristics=[
            CharacteristicSpec(code="MOIST", name="Moisture", upper_limit=Decimal(12)),
            CharacteristicSpec(code="ASH", name="Ash", upper_limit=Decimal("0.5")),
            CharacteristicSpec(code="SMELL", name="Smell", kind=ATTRIBUTE),
        ],
        reason="new incoming-inspection spec",
        by=by,
    )
    moisture = inspection.values.get(characteristic__code="MOIST")
    assert (moisture.lower_limit, moisture.upper_limit) == (10, 14)


def test_a_non_number_is_refused_naming_the_characteristic_and_nothing_is_written(
    inspect, receive, flour, english
):
    lot = receive(flour, release=False)
    before = counts()
    with pytest.raises(Refused) as refused:
        inspect(lot=lot, MOIST="wet")
    assert refused.value.code == "value_not_a_number"
    assert refused.value.message == "Moisture needs a number, not “wet”."
    assert counts() == before


def test_a_non_number_is_refused_naming_the_characteristic_in_chinese(
    inspect, receive, flour, chinese
):
    lot = receive(flour, release=False)
    with pytest.raises(Refused) as refused:
        inspect(lot=lot, MOIST="wet")
    assert refused.value.message == "水分须填写数字（当前：“wet”）。"  # noqa: RUF001


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "1e999", "12.1234567", True])
def test_a_value_that_is_not_a_keepable_number_is_refused(inspect, bad):
    with pytest.raises(Refused) as refused:
        inspect(MOIST=bad)
    assert refused.value.code in ("value_not_a_number", "value_too_precise")


def test_an_attribute_that_is_not_pass_or_fail_is_refused(inspect):
    with pytest.raises(Refused, match="Smell is pass or fail"):
        inspect(SMELL="maybe")


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_a_missing_value_is_refused_and_nothing_is_written(
    inspect, receive, flour, english, missing
):
    lot = receive(flour, release=False)
    before = counts()
    with pytest.raises(Refused) as refused:
        inspect(lot=lot, ASH=missing)
    assert refused.value.code == "value_missing"
    assert refused.value.message == "Enter a value for: Ash."
    assert counts() == before
    assert not Inspection.objects.exists()


def test_a_value_left_out_of_the_dict_is_missing_too(
    receive, flour, flour_plan, by_code, quality_manager
):
    lot = receive(flour, release=False)
    with pytest.raises(Refused, match="Enter a value for: Ash, Smell"):
        inspection_record(
            lot=lot,
            plan=flour_plan,
            values=by_code(MOIST="12"),
            inspector=quality_manager,
            key="qc",
        )
    assert not Inspection.objects.exists()


def test_a_plan_for_another_item_is_refused(receive, pork, flour_plan, by_code, quality_manager):
    lot = receive(pork)
    before = counts()
    with pytest.raises(Refused) as refused:
        inspection_record(
            lot=lot,
            plan=flour_plan,
            values=by_code(**GOOD),
            inspector=quality_manager,
            key="qc",
        )
    assert refused.value.code == "plan_item_mismatch"
    assert counts() == before


def test_the_same_inspection_sent_again_returns_the_first_and_writes_nothing(
    inspect, receive, flour
):
    lot = receive(flour, release=False)
    first = inspect(lot=lot, key="qc-same")
    before = counts()
    again = inspect(lot=lot, key="qc-same")
    assert again.pk == first.pk
    assert again.result == InspectionResult.PASS
    assert counts() == before


def test_other_values_under_the_same_key_are_refused_and_write_nothing(inspect, receive, flour):
    lot = receive(flour, release=False)
    inspect(lot=lot, key="qc-same")
    before = counts()
    with pytest.raises(Refused) as refused:
        inspect(lot=lot, key="qc-same", ASH="0.9")
    assert refused.value.code == "key_reused"
    assert counts() == before


def test_a_key_already_used_by_another_event_is_refused(inspect, receive, flour):
    lot = receive(flour, release=False)
    before = counts()
    with pytest.raises(Refused) as refused:
        inspect(lot=lot, key="receive-1")
    assert refused.value.code == "key_reused"
    assert counts() == before


def test_a_failed_inspection_with_auto_hold_puts_the_lot_on_hold(inspect, receive, flour):
    lot = receive(flour)
    inspection = inspect(lot=lot, ASH="0.9", auto_hold=True)
    lot.refresh_from_db()
    assert lot.status == LotStatus.ON_HOLD
    hold = Event.objects.get(lot=lot, kind=EventKind.HOLD)
    assert hold.reason == "QC failed: Flour incoming"
    assert hold.actor_id == inspection.inspector_id


def test_a_passed_inspection_with_auto_hold_leaves_the_lot_as_it_was(inspect, receive, flour):
    lot = receive(flour, release=False)
    inspect(lot=lot, auto_hold=True)
    lot.refresh_from_db()
    assert lot.status == LotStatus.QUARANTINE
    assert not Event.objects.filter(lot=lot, kind=EventKind.HOLD).exists()


def test_a_failed_inspection_without_auto_hold_does_not_hold(inspect, receive, flour):
    lot = receive(flour)
    inspect(lot=lot, ASH="0.9")
    lot.refresh_from_db()
    assert lot.status == LotStatus.RELEASED


def test_auto_hold_skips_a_lot_that_cannot_be_held_and_still_records(inspect, receive, flour):
    lot = receive(flour)
    inspect(lot=lot, key="qc-a", ASH="0.9", auto_hold=True)
    inspection = inspect(lot=lot, key="qc-b", ASH="0.9", auto_hold=True)
    assert inspection.result == InspectionResult.FAIL
    assert Event.objects.filter(lot=lot, kind=EventKind.HOLD).count() == 1
