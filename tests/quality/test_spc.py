"""Control-chart arithmetic against worked examples: limits from a baseline, each Western
Electric rule at the point that completes it, and Cp/Cpk."""

import pytest

from tracelot.quality.spc import (
    Limits,
    Rule,
    capability,
    individuals_limits,
    western_electric,
)

UNIT = Limits(center=0.0, sigma=1.0, mr_bar=1.128, baseline=20)


def test_individuals_limits_from_the_mean_moving_range():
    # mean 58/5 = 11.6; moving ranges 2, 1, 2, 1: MR-bar 1.5; sigma 1.5 / 1.128
    limits = individuals_limits([10, 12, 11, 13, 12])
    assert limits.center == pytest.approx(11.6)
    assert limits.sigma == pytest.approx(1.329787, abs=1e-6)
    assert limits.ucl == pytest.approx(15.589362, abs=1e-6)
    assert limits.lcl == pytest.approx(7.610638, abs=1e-6)
    assert limits.mr_ucl == pytest.approx(4.9005)


def test_no_limits_from_too_few_points_or_no_variation():
    assert individuals_limits([1, 2, 3, 4]) is None
    assert individuals_limits([5, 5, 5, 5, 5, 5]) is None


def _broken(values):
    return [(v.rule, v.index, v.side) for v in western_electric(values, UNIT)]


def test_rule_1_one_point_beyond_three_sigma_either_side():
    assert _broken([0.5, 3.2, -3.1]) == [
        (Rule.BEYOND_3_SIGMA, 1, 1),
        (Rule.BEYOND_3_SIGMA, 2, -1),
    ]


def test_rule_2_two_of_three_beyond_two_sigma_on_one_side():
    assert _broken([2.5, 0.0, 2.1]) == [(Rule.TWO_OF_THREE_BEYOND_2_SIGMA, 2, 1)]
    assert _broken([-2.5, -2.1]) == [(Rule.TWO_OF_THREE_BEYOND_2_SIGMA, 1, -1)]
    assert _broken([2.5, -2.5, 0.5]) == []  # one each side
    assert _broken([2.5, 0.0, 0.0, 2.1]) == []  # four points apart


def test_rule_3_four_of_five_beyond_one_sigma_on_one_side():
    assert _broken([1.5, 1.2, 0.3, 1.1, 1.4]) == [(Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA, 4, 1)]
    assert _broken([1.5, 1.2, 0.3, 1.1, 0.4]) == []  # the last point is not one of them


def test_rule_4_eight_in_a_row_on_one_side():
    assert _broken([-0.1] * 8) == [(Rule.EIGHT_ON_ONE_SIDE, 7, -1)]
    assert _broken([0.1] * 7 + [-0.1]) == []
    assert [v.index for v in western_electric([0.2] * 10, UNIT)] == [7, 8, 9]


def test_a_point_can_break_several_rules_at_once():
    assert _broken([2.5, 3.5]) == [
        (Rule.BEYOND_3_SIGMA, 1, 1),
        (Rule.TWO_OF_THREE_BEYOND_2_SIGMA, 1, 1),
    ]


def test_a_drift_is_flagged_before_the_specification_limit_is_crossed():
    """The early warning: a process drifting up breaks rule 3 while still in specification."""
    baseline = [10.0, 10.2, 9.9, 10.1, 10.0, 9.8, 10.1, 10.0, 9.9, 10.2]
    limits = individuals_limits(baseline)
    drifting = [10.3, 10.35, 10.3, 10.4, 10.38]
    assert max(drifting) < 11.0  # the upper specification limit
    assert Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA in {v.rule for v in western_electric(drifting, limits)}


def test_capability_two_sided_and_one_sided():
    limits = Limits(center=10.0, sigma=0.5, mr_bar=0.564, baseline=25)
    both = capability(limits, lower=8.0, upper=13.0)
    assert both.cp == pytest.approx(5 / 3)
    assert both.cpk == pytest.approx(4 / 3)
    upper_only = capability(limits, lower=None, upper=13.0)
    assert upper_only.cp is None
    assert upper_only.cpk == pytest.approx(2.0)
    assert capability(limits, None, None).cpk is None
