"""Likely causes on generated plants: a planted cause comes first, with the counts behind it."""

import json
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import LineFactory, OperatorFactory, ShiftFactory, WorkOrderStepFactory
from tracelot.incidents.causes import fisher_greater, likely_causes
from tracelot.ledger import services

pytestmark = pytest.mark.django_db


@dataclass
class Made:
    lot: object
    flour: object
    line: str
    shift: str


@dataclass
class Plant:
    flour: list = field(default_factory=list)
    made: list[Made] = field(default_factory=list)


@pytest.fixture
def plant(site, dough, flour, pork, receive, operator):
    """48 dough lots over 2 lines and 2 shifts, each crew its own responsible person, each
    dough from one of 6 flour lots and one of 6 pork lots, chosen at random."""
    rng = random.Random(7)
    lines = [LineFactory(site=site, code=code, name=f"Line {code}") for code in ("L1", "L2")]
    shifts = [ShiftFactory(site=site, code=code, name=code.title()) for code in ("EARLY", "LATE")]
    crews = {
        (line.code, shift.code): OperatorFactory(site=site, code=f"{line.code}-{shift.code}")
        for line in lines
        for shift in shifts
    }
    result = Plant(flour=[receive(flour, "1000") for _ in range(6)])
    pork_lots = [receive(pork, "1000") for _ in range(6)]
    for n in range(48):
        line, shift = lines[n % 2], shifts[(n // 2) % 2]
        step = WorkOrderStepFactory(
            work_order__site=site,
            work_order__item=dough,
            work_order__line=line,
            work_order__shift=shift,
            output_item=dough,
            responsible=crews[(line.code, shift.code)],
        )
        flour_lot, pork_lot = rng.choice(result.flour), rng.choice(pork_lots)
        for lot, quantity in ((flour_lot, "8"), (pork_lot, "2")):
            services.lot_consume(
                step=step, lot=lot, quantity=Decimal(quantity), actor=operator, key=f"c{n}{lot.pk}"
            )
        made = services.lot_produce(step=step, quantity=Decimal(10), actor=operator, key=f"p{n}")
        result.made.append(Made(made.lot, flour_lot, line.code, shift.code))
    return result


def split(plant, failing, noise=1):
    """The planted failures plus `noise` lots that fail for no shared reason."""
    failed = [m.lot.pk for m in plant.made if failing(m)]
    others = [m.lot.pk for m in plant.made if not failing(m)]
    failed += others[:noise]
    return failed, others[noise:]


def test_a_contaminated_material_lot_comes_first(plant):
    bad = plant.flour[2]
    failed, passed = split(plant, lambda m: m.flour == bad)
    causes = likely_causes(failed_lot_ids=failed, passed_lot_ids=passed)
    first = causes.candidates[0]
    assert (first.kind, first.key) == ("input_lot", bad.code)
    assert first.failed_with == len(failed) - 1  # all but the noise
    assert first.passed_with == 0
    assert first.p_value < 0.001
    assert causes.margin["p_value_ratio"] >= 1


def test_a_bad_shift_on_one_line_comes_first(plant):
    failed, passed = split(plant, lambda m: (m.line, m.shift) == ("L1", "LATE"))
    causes = likely_causes(failed_lot_ids=failed, passed_lot_ids=passed)
    first = causes.candidates[0]
    assert (first.kind, first.key) == ("shift", "L1/LATE")
    assert (first.failed_with, first.passed_with) == (12, 0)
    # The line and the shift alone are suspects too, but weaker: each also ran passed lots.
    ranked = [(c.kind, c.key) for c in causes.candidates]
    assert ranked.index(("line", "L1")) > 0
    assert ranked.index(("shift", "LATE")) > 0


def test_a_factor_every_lot_shares_is_not_a_suspect(plant, supplier):
    failed, passed = split(plant, lambda m: m.flour == plant.flour[0])
    causes = likely_causes(failed_lot_ids=failed, passed_lot_ids=passed)
    shared = next(c for c in causes.candidates if (c.kind, c.key) == ("supplier", supplier.code))
    assert shared.p_value == pytest.approx(1.0)
    assert shared.score == pytest.approx(1.0)


def test_fishers_exact_test_matches_the_textbook_tea_tasting():
    # Fisher's lady tasting tea: 3 of 4 cups right; one-sided p = 17/70.
    assert fisher_greater(3, 1, 4, 4) == pytest.approx(17 / 70)
    assert fisher_greater(4, 0, 4, 4) == pytest.approx(1 / 70)


def test_the_command_prints_the_ranking_as_json(plant, operator):
    bad = plant.flour[2]
    failed = [m.lot for m in plant.made if m.flour == bad]
    for n, lot in enumerate(failed):
        services.lot_inspect(
            lot=lot, characteristic="TPC", passed=False, actor=operator, key=f"i{n}"
        )
    out = StringIO()
    call_command(
        "causes", "--failed", *[lot.code for lot in failed], "--format", "json", stdout=out
    )
    answer = json.loads(out.getvalue())
    assert answer["failed"] == len(failed)
    assert answer["passed"] == len(plant.made) - len(failed)  # same item, same days, no failure
    first = answer["candidates"][0]
    assert set(first) == {"kind", "key", "name", "failed_with", "passed_with", "score", "p_value"}
    assert (first["kind"], first["key"], first["name"]) == ("input_lot", bad.code, "Flour")

    today = timezone.localdate().isoformat()
    out = StringIO()
    call_command("causes", "--since", today, "--until", today, "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["candidates"][0]["key"] == bad.code


def test_the_command_says_what_it_needs(db):
    with pytest.raises(CommandError, match="--failed"):
        call_command("causes")
    with pytest.raises(CommandError):
        call_command("causes", "--failed", "NO-SUCH-LOT")


@given(
    failed=st.integers(1, 400),
    passed=st.integers(0, 3000),
    data=st.data(),
)
def test_fishers_tail_equals_the_sum_of_its_hypergeometric_terms(failed, passed, data):
    with_factor = data.draw(st.integers(1, failed + passed))
    low = max(0, with_factor - passed)
    a = data.draw(st.integers(low, min(with_factor, failed)))
    total = failed + passed
    terms = [
        math.comb(with_factor, x) * math.comb(total - with_factor, failed - x)
        for x in range(a, min(with_factor, failed) + 1)
    ]
    exact = Fraction(sum(terms), math.comb(total, failed))
    assert fisher_greater(a, with_factor - a, failed, passed) == pytest.approx(
        float(exact), rel=1e-6, abs=1e-300
    )


def test_the_benchmark_ranks_a_month_of_failed_lots(plant, operator):
    from tracelot.bench.incidents import measure_causes

    bad = plant.flour[2]
    failed = [m.lot for m in plant.made if m.flour == bad]
    for n, lot in enumerate(failed):
        services.lot_inspect(
            lot=lot, characteristic="TPC", passed=False, actor=operator, key=f"i{n}"
        )
    measured = measure_causes(runs=1)
    assert (measured["failed"], measured["passed"]) == (len(failed), len(plant.made) - len(failed))
    assert measured["first"]["key"] == bad.code
    assert measured["median"] > 0
