"""The region's line from its municipalities' figures (services.regions): A and B
summed; a municipality whose survey-based figure is hidden (fewer than three answers)
is left out of that sum altogether, so the region minus the municipalities shown never
gives its answers back."""

from __future__ import annotations

from services.indicators import Value
from services.regions import _sum


def test_counts_are_summed() -> None:
    v = _sum(
        "schools_running",
        [Value("schools_running", a=1, b=3, known=3, schools=3), Value("schools_running", 0, 1)],
    )
    assert (v.a, v.b, v.known, v.schools, v.left_out) == (1, 4, 4, 4, 0)
    assert v.percent == 25


def test_unknown_b_is_left_out_and_counted() -> None:
    v = _sum(
        "coverage_young",
        [
            Value("coverage_young", a=3, b=5, known=1, schools=3),
            Value("coverage_young", a=None, b=None),
        ],
    )
    assert (v.a, v.b, v.known, v.schools) == (3, 5, 1, 4)


def test_a_hidden_municipality_is_left_out_of_a_survey_sum() -> None:
    shown = Value("satisfaction_mentees", a=5, b=10, answered=6, known=2, schools=2)
    hidden = Value("satisfaction_mentees", a=None, b=4, answered=2)
    v = _sum("satisfaction_mentees", [shown, hidden])
    assert (v.a, v.b, v.answered, v.left_out) == (5, 10, 6, 1)


def test_all_hidden_stays_hidden() -> None:
    parts = [
        Value("satisfaction_mentees", a=None, b=4, answered=2),
        Value("satisfaction_mentees", a=None, b=3, answered=1),
    ]
    v = _sum("satisfaction_mentees", parts)
    assert v.a is None and v.hidden and v.b == 7


def test_too_few_answers_in_the_sum_hide_it() -> None:
    parts = [
        Value("satisfaction_mentees", a=1, b=4, answered=1),  # defensive: two answers in all
        Value("satisfaction_mentees", a=1, b=3, answered=1),
    ]
    v = _sum("satisfaction_mentees", parts)
    assert v.a is None
