"""The rules of one indicator's value, on counts given by hand: N = A / B × 100 %, «нет
данных» when B is unknown (never 100 %), hidden below three answers, a municipal sum
over the schools that have B, targets by the programme's year."""

from __future__ import annotations

from services.indicators import (
    BY_CODE,
    HEADCOUNTS,
    INDICATORS,
    MIN_ANSWERS,
    PARTICIPATION,
    SATISFACTION,
    Count,
    Counts,
    Indicator,
    Level,
    default_target,
    evaluate,
)

COVERAGE = BY_CODE["coverage_young"]
SATISFIED = BY_CODE["satisfaction_mentees"]


def _counts(**tables: dict[int, dict[str, int]]) -> Counts:
    return dict(tables)


def test_a_over_b_with_target_and_mark() -> None:
    counts = _counts(
        people={1: {"young_mentees": 3}},
        headcounts={1: {"young_specialists": 5}},
    )
    v = evaluate(COVERAGE, counts, [1], target=100)
    assert (v.a, v.b, v.percent, v.met) == (3, 5, 60.0, False)
    v = evaluate(COVERAGE, counts, [1], target=60)
    assert v.met is True


def test_no_headcount_means_no_data_never_a_hundred_percent() -> None:
    counts = _counts(people={1: {"young_mentees": 3}}, headcounts={})
    v = evaluate(COVERAGE, counts, [1], target=100)
    assert (v.a, v.b, v.percent, v.met, v.hidden) == (None, None, None, None, False)


def test_zero_in_b_is_not_a_percentage() -> None:
    counts = _counts(people={1: {"young_mentees": 0}}, headcounts={1: {"young_specialists": 0}})
    v = evaluate(COVERAGE, counts, [1])
    assert (v.a, v.b, v.percent) == (0, 0, None)


def test_fewer_than_three_answers_hide_the_value_but_not_b() -> None:
    counts = _counts(
        people={1: {"mentees": 6, "satisfied_mentees": 2, "answered_mentees": MIN_ANSWERS - 1}},
    )
    v = evaluate(SATISFIED, counts, [1], target=50)
    assert (v.a, v.b, v.answered, v.hidden, v.percent) == (None, 6, 2, True, None)
    counts["people"][1]["answered_mentees"] = MIN_ANSWERS
    v = evaluate(SATISFIED, counts, [1], target=50)
    assert (v.a, v.b, v.answered, v.hidden, v.met) == (2, 6, 3, False, False)


def test_a_municipal_sum_takes_the_schools_with_b_and_says_how_many() -> None:
    counts = _counts(
        people={1: {"young_mentees": 2}, 2: {"young_mentees": 9}, 3: {"young_mentees": 1}},
        headcounts={1: {"young_specialists": 4}, 3: {"young_specialists": 6}},
    )
    v = evaluate(COVERAGE, counts, [1, 2, 3], target=100)
    assert (v.a, v.b, v.known, v.schools) == (3, 10, 2, 3)  # school 2's 9 left out with its B


def test_a_and_b_may_sum_several_counts() -> None:
    both = Indicator(
        "x",
        Level.MUNICIPALITY,
        a=(Count(SATISFACTION, "satisfied_mentees"), Count(SATISFACTION, "satisfied_mentors")),
        b=(Count(PARTICIPATION, "mentees"), Count(PARTICIPATION, "mentors")),
    )
    counts = _counts(
        people={
            1: {"mentees": 4, "mentors": 2, "satisfied_mentees": 3, "satisfied_mentors": 1},
            2: {"mentees": 1, "mentors": 1},
        },
    )
    v = evaluate(both, counts, [1, 2])
    assert (v.a, v.b) == (4, 8)


def test_default_targets_follow_the_year_of_the_programme() -> None:
    assert [default_target(SATISFIED, n) for n in (1, 2, 3, 7)] == [50, 75, 85, 85]
    assert default_target(BY_CODE["growth"], 1) == 80
    assert default_target(BY_CODE["schools_running"], 4) == 60
    assert default_target(BY_CODE["health_feedback"], 1) is None


def test_every_official_indicator_has_a_target_and_survey_ones_their_answers() -> None:
    for indicator in INDICATORS:
        assert indicator.targets, indicator.code
    assert {i.code for i in INDICATORS if i.answered} == {
        "growth",
        "satisfaction_mentees",
        "satisfaction_mentors",
        "beneficiaries_satisfied",
    }
    assert HEADCOUNTS.unknown_if_absent and not PARTICIPATION.unknown_if_absent
