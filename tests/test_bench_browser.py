"""The browser bench's bracketed trials: each dashboard load against the one-chart loads either side of it."""

import pytest

from bench.browser import bracketed


def _feed(values: list[float]):
    it = iter(values)
    return lambda: next(it)


def test_each_trial_is_divided_by_the_mean_of_the_reference_loads_either_side():
    # reference 1, subject 2, reference 1, subject 3, reference 2, subject 2, reference 1:
    # ratios 2 / 1 = 2, 3 / 1.5 = 2, 2 / 1.5 = 1.33...; median 2; inclusive quartiles 1.67 and 2
    result = bracketed(_feed([2.0, 3.0, 2.0]), _feed([1.0, 1.0, 2.0, 1.0]), 3)
    assert result["ratios"] == pytest.approx([2.0, 2.0, 4 / 3])
    assert result["ratio"] == pytest.approx(2.0)
    assert result["ratio_quartiles"] == pytest.approx((5 / 3, 2.0))
    assert result["ratio_range"] == pytest.approx((4 / 3, 2.0))
    assert (result["subject_s"], result["reference_s"]) == (2.0, 1.0)


def test_a_slow_spell_that_slows_both_pages_alike_leaves_the_ratio_alone():
    # the machine is three times slower in the second trial: the times triple, the ratio stays 1.5
    result = bracketed(_feed([3.0, 9.0]), _feed([2.0, 2.0, 10.0]), 2)
    assert result["ratios"] == pytest.approx([1.5, 1.5])


def test_the_loads_alternate_starting_and_ending_with_the_reference():
    order: list[str] = []
    bracketed(lambda: order.append("dashboard") or 1.0, lambda: order.append("one") or 1.0, 2)
    assert order == ["one", "dashboard", "one", "dashboard", "one"]


def test_no_trial_is_refused():
    with pytest.raises(ValueError, match="at least one trial"):
        bracketed(lambda: 1.0, lambda: 1.0, 0)
