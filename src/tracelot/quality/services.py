"""Quality services: save inspection plans, record inspections of lots through the ledger."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext

from tracelot.audit.services import (
    ChangedBy,
    master_data_delete,
    master_data_reason_check,
    master_data_save,
)
from tracelot.core.errors import Refused
from tracelot.core.numbers import plain
from tracelot.core.sql import rows_insert, values_in
from tracelot.items.models import Item
from tracelot.ledger import services as ledger
from tracelot.ledger.keys import key_for
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.ledger.recording import record
from tracelot.lots.models import HOLDABLE, Lot
from tracelot.plants.models import Operator
from tracelot.quality.models import (
    Characteristic,
    CharacteristicKind,
    Inspection,
    InspectionPlan,
    InspectionResult,
    InspectionValue,
)

# The columns keep 20 digits, 6 after the point; a value must fit without rounding, or a
# value just outside a limit could be stored as one just inside it.
_PLACES = 6
_INTEGER_DIGITS = 14
_TRUE = {"pass", "true", "1", "yes", "on"}
_FALSE = {"fail", "false", "0", "no", "off"}


@dataclass(frozen=True)
class CharacteristicSpec:
    """A characteristic as a plan is saved with it."""

    code: str
    name: str
    kind: str = CharacteristicKind.MEASURED
    unit: str = ""
    lower_limit: Decimal | None = None
    upper_limit: Decimal | None = None
    name_zh: str = ""


def _spec_check(spec: CharacteristicSpec) -> None:
    code = spec.code.strip()
    if not code or not spec.name.strip():
        raise Refused(
            "characteristic_incomplete", gettext("Every characteristic needs a code and a name.")
        )
    if spec.kind == CharacteristicKind.ATTRIBUTE:
        if spec.lower_limit is not None or spec.upper_limit is not None:
            raise Refused(
                "characteristic_attribute_limits",
                gettext("%(characteristic)s is pass/fail and cannot have limits.")
                % {"characteristic": code},
            )
        return
    if spec.kind != CharacteristicKind.MEASURED:
        raise Refused(
            "characteristic_kind_invalid",
            gettext("%(characteristic)s has an unknown kind %(kind)s.")
            % {"characteristic": code, "kind": spec.kind},
        )
    if spec.lower_limit is None and spec.upper_limit is None:
        raise Refused(
            "characteristic_limits_missing",
            gettext("%(characteristic)s is measured and needs a lower or an upper limit.")
            % {"characteristic": code},
        )
    if (
        spec.lower_limit is not None
        and spec.upper_limit is not None
        and spec.lower_limit > spec.upper_limit
    ):
        raise Refused(
            "characteristic_limits_reversed",
            gettext("The lower limit of %(characteristic)s is above its upper limit.")
            % {"characteristic": code},
        )


def _plan_check(item: Item, name: str, specs: Sequence[CharacteristicSpec]) -> None:
    if not name.strip():
        raise Refused("plan_name_required", gettext("An inspection plan needs a name."))
    if not specs:
        raise Refused(
            "plan_empty", gettext("An inspection plan needs at least one characteristic.")
        )
    codes = [spec.code.strip() for spec in specs]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise Refused(
            "characteristic_duplicate",
            gettext("Characteristic %(code)s appears more than once.") % {"code": duplicates[0]},
        )
    for spec in specs:
        _spec_check(spec)


@transaction.atomic
def inspection_plan_save(
    *,
    item: Item,
    name: str,
    characteristics: Sequence[CharacteristicSpec],
    active: bool = True,
    plan: InspectionPlan | None = None,
    reason: str,
    by: ChangedBy,
    name_zh: str = "",
) -> InspectionPlan:
    """Create or update an inspection plan; an active plan retires the item's other plan."""
    master_data_reason_check(reason=reason)
    _plan_check(item, name, characteristics)
    if plan is None:
        plan = InspectionPlan(item=item)
    elif not plan._state.adding:
        # The item as stored: `plan` may already carry the one a form asked for.
        stored = InspectionPlan.objects.filter(pk=plan.pk).values_list("item_id", flat=True)
        if stored.first() not in (None, item.pk):
            raise Refused(
                "plan_item_changed",
                gettext("An inspection plan cannot move to another item."),
                field="item",
            )
    plan.item = item
    if InspectionPlan.objects.filter(item=item, name=name.strip()).exclude(pk=plan.pk).exists():
        raise Refused(
            "plan_name_taken",
            gettext("Item %(item)s already has an inspection plan named %(name)s.")
            % {"item": item.code, "name": name.strip()},
        )
    if active:
        # one active plan per item (quality_inspectionplan_one_active_per_item)
        for other in InspectionPlan.objects.filter(item=item, active=True).exclude(pk=plan.pk):
            other.active = False
            master_data_save(record=other, reason=reason, by=by, fields=["active"])
    plan.name, plan.name_zh, plan.active = name.strip(), name_zh.strip(), active
    master_data_save(record=plan, reason=reason, by=by)
    _characteristics_save(plan, characteristics, reason, by)
    return plan


def _characteristics_save(
    plan: InspectionPlan, specs: Sequence[CharacteristicSpec], reason: str, by: ChangedBy
) -> None:
    existing = {c.code: c for c in plan.characteristics.all()}
    wanted = {spec.code.strip() for spec in specs}
    for code, characteristic in existing.items():
        if code in wanted:
            continue
        if characteristic.values.exists():
            raise Refused(
                "characteristic_in_use",
                gettext(
                    "%(characteristic)s has inspection results and cannot be removed; "
                    "save a new plan instead."
                )
                % {"characteristic": code},
            )
        master_data_delete(record=characteristic, reason=reason, by=by)
    for sequence, spec in enumerate(specs, start=1):
        code = spec.code.strip()
        characteristic = existing.get(code) or Characteristic(plan=plan, code=code)
        characteristic.name, characteristic.name_zh = spec.name.strip(), spec.name_zh.strip()
        characteristic.kind, characteristic.unit = spec.kind, spec.unit.strip()
        characteristic.lower_limit, characteristic.upper_limit = spec.lower_limit, spec.upper_limit
        characteristic.sequence = sequence
        master_data_save(record=characteristic, reason=reason, by=by)


@dataclass(frozen=True)
class Judgement:
    """The verdict on one characteristic."""

    characteristic: Characteristic
    value: Decimal | None
    passed: bool | None
    result: str


def _measured(characteristic: Characteristic, raw: object) -> Decimal:
    if isinstance(raw, bool):
        number = None
    elif isinstance(raw, Decimal | int):
        number = Decimal(raw)
    else:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        raise Refused(
            "value_not_a_number",
            gettext("%(characteristic)s needs a number, not “%(value)s”.")
            % {"characteristic": characteristic.display_name, "value": raw},
        )
    _sign, digits, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)  # noqa: S101 - finite numbers have an int exponent
    if -exponent > _PLACES or len(digits) + exponent > _INTEGER_DIGITS:
        raise Refused(
            "value_too_precise",
            gettext(
                "%(value)s for %(characteristic)s has more digits than can be kept "
                "(at most %(places)s after the point)."
            )
            % {"characteristic": characteristic.display_name, "value": raw, "places": _PLACES},
        )
    return number


def _attribute(characteristic: Characteristic, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Refused(
        "value_not_pass_fail",
        gettext("%(characteristic)s is pass or fail, not “%(value)s”.")
        % {"characteristic": characteristic.display_name, "value": raw},
    )


def _judge(characteristic: Characteristic, raw: object) -> Judgement:
    if characteristic.kind == CharacteristicKind.ATTRIBUTE:
        passed = _attribute(characteristic, raw)
        return Judgement(characteristic, None, passed, _result(passed))
    value = _measured(characteristic, raw)
    low, high = characteristic.lower_limit, characteristic.upper_limit
    within = (low is None or value >= low) and (high is None or value <= high)
    return Judgement(characteristic, value, None, _result(within))


def _result(passed: bool) -> str:
    return InspectionResult.PASS if passed else InspectionResult.FAIL


def _is_missing(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def inspection_judge(*, plan: InspectionPlan, values: Mapping[int, object]) -> list[Judgement]:
    """Judge each characteristic of `plan` from `values` (by characteristic id); refuse gaps."""
    characteristics = list(plan.characteristics.all())
    known = {c.pk for c in characteristics}
    unknown = sorted(set(values) - known)
    if unknown:
        raise Refused(
            "characteristic_not_in_plan",
            gettext("Characteristic %(id)s is not part of plan %(plan)s.")
            % {"id": unknown[0], "plan": plan.name},
        )
    missing = [c.display_name for c in characteristics if _is_missing(values.get(c.pk))]
    if missing:
        raise Refused(
            "value_missing",
            gettext("Enter a value for: %(characteristics)s.")
            % {"characteristics": ", ".join(missing)},
        )
    return [_judge(c, values[c.pk]) for c in characteristics]


def _lot_plan_check(lot: Lot, plan: InspectionPlan) -> None:
    if plan.item_id != lot.item_id:
        raise Refused(
            "plan_item_mismatch",
            gettext("Plan %(plan)s is for another item than lot %(code)s.")
            % {"plan": plan.name, "code": lot.code},
        )
    if not plan.active:
        raise Refused(
            "plan_inactive",
            gettext("Plan %(plan)s is no longer active.") % {"plan": plan.display_name},
        )


def _event_data(plan: InspectionPlan, judged: Sequence[Judgement], passed: bool) -> dict[str, Any]:
    # The same keys lot_inspect writes, plus each value, so the hash-chained ledger alone
    # shows what was found (the Inspection rows are a convenient copy).
    values = {
        j.characteristic.code: {
            "value": plain(j.value) if j.value is not None else None,
            "passed": j.passed,
            "result": j.result,
        }
        for j in judged
    }
    summary = "; ".join(
        f"{code}={v['value'] if v['value'] is not None else v['result']}"
        for code, v in values.items()
    )
    return {
        "characteristic": f"plan:{plan.name}",
        "result": _result(passed),
        "value": summary,
        "plan": plan.pk,
        "values": values,
    }


def inspection_event_data(*, plan: InspectionPlan, found: Mapping[str, object]) -> dict[str, Any]:
    """The inspect event's data for what an inspection against `plan` found (characteristic
    code → value), for a writer of events in bulk (the demo); `inspections_from_ledger` then
    makes its inspection. Prefetch the plan's characteristics when calling this often."""
    by_code = {c.code: c for c in plan.characteristics.all()}
    judged = [_judge(by_code[code], raw) for code, raw in found.items()]
    passed = all(j.result == InspectionResult.PASS for j in judged)
    return _event_data(plan, judged, passed)


INSPECTION_COLUMNS = (
    "site_id", "lot_id", "plan_id", "inspected_at", "inspector_id", "result", "event_id", "note"
)  # fmt: skip
INSPECTION_VALUE_COLUMNS = (
    "inspection_id", "characteristic_id", "value", "passed", "lower_limit", "upper_limit",
    "result",
)  # fmt: skip


def inspections_from_ledger(*, site_id: int) -> int:
    """Make the inspections of `site_id`'s inspect events that name a plan and have none yet,
    from what the events recorded: the ledger is the record, the inspections its copy.
    Returns how many were made."""
    adapt_datetime = connection.ops.adapt_datetimefield_value
    events = list(
        Event.objects.filter(site_id=site_id, kind=EventKind.INSPECT, data__has_key="plan")
        .filter(inspection__isnull=True)
        .values_list("pk", "lot_id", "occurred_at", "actor_id", "data")
    )
    plans = {
        plan.pk: {c.code: c for c in plan.characteristics.all()}
        for plan in InspectionPlan.objects.filter(
            pk__in={data["plan"] for *_, data in events}
        ).prefetch_related("characteristics")
    }
    made = [
        (
            site_id,
            lot_id,
            data["plan"],
            adapt_datetime(occurred_at),
            actor_id,
            data["result"],
            pk,
            "",
        )
        for pk, lot_id, occurred_at, actor_id, data in events
        if data["plan"] in plans and actor_id is not None
    ]
    # Plain rows, not model instances: the demo makes tens of thousands at once.
    with connection.cursor() as cursor:
        rows_insert(cursor, Inspection, INSPECTION_COLUMNS, made)
        made_by_event = dict(
            Inspection.objects.filter(event_id__in=values_in([row[6] for row in made])).values_list(
                "event_id", "pk"
            )
        )
        values = []
        for pk, *_, data in events:
            inspection_id = made_by_event.get(pk)
            if inspection_id is None:
                continue
            characteristics = plans[data["plan"]]
            for code, found in data.get("values", {}).items():
                c = characteristics.get(code)
                if c is not None:
                    value = Decimal(found["value"]) if found["value"] is not None else None
                    values.append(
                        (inspection_id, c.pk, value, found["passed"], c.lower_limit,
                         c.upper_limit, found["result"])
                    )  # fmt: skip
        rows_insert(cursor, InspectionValue, INSPECTION_VALUE_COLUMNS, values)
    return len(made)


@transaction.atomic
def inspection_record(
    *,
    lot: Lot,
    plan: InspectionPlan,
    values: Mapping[int, object],
    inspector: Operator,
    key: str,
    via: str = Via.MANUAL,
    note: str = "",
    auto_hold: bool = False,
) -> Inspection:
    """Judge `values` against `plan`, record one inspect event and the inspection of `lot`.

    The same request sent again with its `key` returns the inspection it first recorded and
    writes nothing; the key of another request is refused (the ledger's rule, in record()).
    With `auto_hold`, a failed inspection also puts a holdable lot on hold.
    """
    _lot_plan_check(lot, plan)
    judged = inspection_judge(plan=plan, values=values)
    passed = all(j.result == InspectionResult.PASS for j in judged)
    event = record(
        [
            Draft(
                kind=EventKind.INSPECT,
                lot=lot,
                quantity=lot.quantity_on_hand,
                key=key,
                via=via,
                actor=inspector,
                data=_event_data(plan, judged, passed),
            )
        ]
    )[0]
    earlier = Inspection.objects.filter(event=event).select_related("event", "plan", "lot").first()
    if earlier is not None:
        return earlier
    inspection = Inspection.objects.create(
        site_id=lot.site_id,
        lot=lot,
        plan=plan,
        inspected_at=event.occurred_at,
        inspector=inspector,
        result=_result(passed),
        event=event,
        note=note.strip(),
    )
    InspectionValue.objects.bulk_create(
        InspectionValue(
            inspection=inspection,
            characteristic=j.characteristic,
            value=j.value,
            passed=j.passed,
            lower_limit=j.characteristic.lower_limit,
            upper_limit=j.characteristic.upper_limit,
            result=j.result,
        )
        for j in judged
    )
    if not passed and auto_hold:
        _hold_failed(lot, plan, inspector, key, via)
    return inspection


def _hold_failed(lot: Lot, plan: InspectionPlan, inspector: Operator, key: str, via: str) -> None:
    lot.refresh_from_db(fields=["status", "quantity_on_hand"])
    if lot.status not in HOLDABLE:
        return
    ledger.lot_hold(
        lot=lot,
        reason=gettext("QC failed: %(plan)s") % {"plan": plan.name},
        actor=inspector,
        key=key_for("hold", key),
        via=via,
    )
    lot.refresh_from_db(fields=["status", "quantity_on_hand"])
