# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""The demo's inspection plans, and what its inspectors find against them.

The plans are saved first, through the quality service a quality manager uses; every
inspection of the history is then recorded against its item's plan (quality's own event
data), and `quality.services.inspections_from_ledger` makes the inspection records after.
"""

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from tracelot.audit.services import ChangedBy
from tracelot.demo.plant import FINISHED, Plant, said
from tracelot.quality.models import CharacteristicKind, InspectionPlan
from tracelot.quality.services import CharacteristicSpec, inspection_plan_save

MEASURED, ATTRIBUTE = CharacteristicKind.MEASURED, CharacteristicKind.ATTRIBUTE

# item → (plan name, Chinese name, [(code, name, Chinese name, kind, unit, lower, upper)])
Check = tuple[str, str, str, str, str, str | None, str | None]
PLANS: dict[str, tuple[str, str, list[Check]]] = {
    "FLOUR": ("Incoming inspection", "来料检验",
              [("MOIST", "Moisture", "水分", MEASURED, "%", None, "14.5")]),
    "PORK": ("Incoming inspection", "来料检验",
             [("CORE-T", "Core temperature", "中心温度", MEASURED, "°C", "-1", "4")]),
    "CABBAGE": ("Incoming inspection", "来料检验",
                [("PEST", "Pesticide residue, rapid test (inhibition)", "农残速测（抑制率）", MEASURED, "%",
                  None, "50")]),
    "SEASON": ("Incoming inspection", "来料检验",
               [("SALT", "Salt content", "含盐量", MEASURED, "%", "36", "42")]),
    "FILM": ("Incoming inspection", "来料检验",
             [("THICK", "Thickness", "厚度", MEASURED, "µm", "70", None)]),
    "CARTON": ("Incoming inspection", "来料检验",
               [("BURST", "Burst strength", "耐破强度", MEASURED, "kPa", "1000", None)]),
    "FROZEN": ("Core temperature after the tunnel", "速冻后中心温度",
               [("CORE-T", "Core temperature", "中心温度", MEASURED, "°C", None, "-18")]),
    **{
        code: ("Finished goods inspection", "成品检验", [
            ("NET", "Net weight per bag", "每袋净含量", MEASURED, "kg",
             "1.0" if code == "DPC1K" else "0.5", None),
            ("METAL", "Metal detection: nothing detected", "金属检测：未检出", ATTRIBUTE, "",
             None, None),
            ("SEAL", "Seal integrity", "封口完整性", ATTRIBUTE, "", None, None),
            ("CORE-T", "Core temperature", "中心温度", MEASURED, "°C", None, "-18"),
            ("TPC", "Total plate count", "菌落总数", MEASURED, "CFU/g", None, "1000000"),
        ])
        for code in FINISHED
    },
}  # fmt: skip

PLAN_REASON = "Demo plant: the inspection plans in use / 演示工厂：在用的检验计划"

Finding = Callable[[random.Random], Any]


def _between(low: float, high: float, places: int) -> Finding:
    return lambda rng: Decimal(f"{rng.uniform(low, high):.{places}f}")


def _always(value: bool) -> Finding:
    return lambda rng: value


# (item, characteristic) → (what a good lot shows, what a bad one shows)
FINDINGS: dict[tuple[str, str], tuple[Finding, Finding]] = {
    ("FLOUR", "MOIST"): (_between(12.8, 13.8, 1), _between(14.6, 15.5, 1)),
    ("PORK", "CORE-T"): (_between(0.5, 3.8, 1), _between(6.5, 9.0, 1)),
    ("CABBAGE", "PEST"): (_between(5, 30, 0), _between(55, 80, 0)),
    ("SEASON", "SALT"): (_between(37.5, 40.5, 1), _between(44.0, 47.0, 1)),
    ("FILM", "THICK"): (_between(74, 81, 0), _between(60, 66, 0)),
    ("CARTON", "BURST"): (_between(1150, 1400, 0), _between(820, 950, 0)),
    ("FROZEN", "CORE-T"): (_between(-22.0, -18.5, 1), _between(-14.5, -12.0, 1)),
    **dict(
        entry
        for code in FINISHED
        for entry in (
            ((code, "NET"), (_between(1.002, 1.012, 3), _between(0.980, 0.993, 3))
             if code == "DPC1K" else (_between(0.501, 0.506, 3), _between(0.490, 0.496, 3))),
            ((code, "METAL"), (_always(True), _always(False))),
            ((code, "SEAL"), (_always(True), _always(False))),
            ((code, "CORE-T"), (_between(-21.5, -18.5, 1), _between(-15.0, -12.5, 1))),
            ((code, "TPC"), (_between(1000, 9000, 0), _between(1.5e6, 4.0e6, 0))),
        )
    ),
}  # fmt: skip


def finding(item_code: str, characteristic: str, rng: random.Random, *, bad: bool) -> Any:
    good, failing = FINDINGS[(item_code, characteristic)]
    return (failing if bad else good)(rng)


def plans_create(plant: Plant) -> dict[str, InspectionPlan]:
    """Every inspected item's plan, saved as a quality manager saves it; by item code."""
    by = ChangedBy(user=User.objects.get(username="quality"))
    plans = {}
    for code, (name, name_zh, checks) in PLANS.items():
        specs = [
            CharacteristicSpec(
                code=check_code, name=check_name, name_zh=check_zh, kind=kind, unit=unit,
                lower_limit=Decimal(lower) if lower is not None else None,
                upper_limit=Decimal(upper) if upper is not None else None,
            )
            for check_code, check_name, check_zh, kind, unit, lower, upper in checks
        ]  # fmt: skip
        plan = inspection_plan_save(
            item=plant.items[code],
            name=name,
            name_zh=name_zh,
            characteristics=specs,
            reason=said(PLAN_REASON),
            by=by,
        )
        plans[code] = plan
    return {
        code: InspectionPlan.objects.prefetch_related("characteristics").get(pk=plan.pk)
        for code, plan in plans.items()
    }
