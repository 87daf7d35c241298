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
    # 002's «конкурсы профессионального мастерства»: 50 % / 80 % / 100 %.
    contest = BY_CODE["contest_participation"]
    assert [default_target(contest, n) for n in (1, 2, 3, 4)] == [50, 80, 100, 100]


def test_every_official_indicator_has_a_target_and_survey_ones_their_answers() -> None:
    # 000's criteria of the methodical work come with neither a formula nor a target.
    no_target_in_seeds = {"young_in_contests", "young_publications"}
    for indicator in INDICATORS:
        assert bool(indicator.targets) != (indicator.code in no_target_in_seeds), indicator.code
    assert {i.code for i in INDICATORS if i.answered} == {
        "growth",
        "satisfaction_mentees",
        "satisfaction_mentors",
        "beneficiaries_satisfied",
    }
    assert HEADCOUNTS.unknown_if_absent and not PARTICIPATION.unknown_if_absent


# --- no hidden figure comes back by subtraction ---------------------------------------------

MENTORS = BY_CODE["satisfaction_mentors"]
BENEFICIARIES = BY_CODE["beneficiaries_satisfied"]


def _people(*rows: tuple[int, int, int, int, int, int]) -> Counts:
    """(mentees, satisfied, answered, mentors, satisfied, answered) per school 1, 2, …"""
    return _counts(
        people={
            n: {
                "mentees": r[0],
                "satisfied_mentees": r[1],
                "answered_mentees": r[2],
                "mentors": r[3],
                "satisfied_mentors": r[4],
                "answered_mentors": r[5],
            }
            for n, r in enumerate(rows, start=1)
        }
    )


def _everything_shown(counts: Counts) -> list[tuple[int | None, int | None, int | None]]:
    """What a coordinator can see: each school on its own, and the municipal sums."""
    ids = sorted(counts["people"])
    values = [evaluate(i, counts, [s]) for s in ids for i in (SATISFIED, MENTORS)]
    values += [evaluate(i, counts, ids) for i in (SATISFIED, MENTORS, BENEFICIARIES)]
    return [(v.a, v.b, v.answered) for v in values]


def test_a_small_school_cannot_be_had_by_subtracting_the_others_from_the_total() -> None:
    # School 3 has one answering mentee: whether they were satisfied must not show
    # anywhere. Before the fix, the total's A minus schools 1 and 2 gave it back.
    satisfied = _people((6, 4, 5, 3, 3, 3), (5, 3, 4, 3, 2, 3), (3, 1, 1, 1, 0, 0))
    unhappy = _people((6, 4, 5, 3, 3, 3), (5, 3, 4, 3, 2, 3), (3, 0, 1, 1, 0, 0))
    assert _everything_shown(satisfied) == _everything_shown(unhappy)
    total = evaluate(SATISFIED, satisfied, [1, 2, 3])
    # The total leaves school 3 out of A, B and «ответили», and says so.
    assert (total.a, total.b, total.answered, total.left_out) == (7, 11, 9, 1)


def test_mentors_cannot_be_had_from_all_participants_minus_mentees() -> None:
    # One school, two answering mentors: «благополучатели» minus mentees would be them.
    shown = {tuple(_everything_shown(_people((8, 5, 6, 2, n, 2)))) for n in (0, 1, 2)}
    assert len(shown) == 1
    ben = evaluate(BENEFICIARIES, _people((8, 5, 6, 2, 2, 2)), [1])
    assert (ben.a, ben.b, ben.answered) == (5, 8, 6)


def test_small_groups_stay_in_when_together_they_are_enough() -> None:
    # Two schools of two answers each: the difference is four answers, as safe as a
    # school shown; nothing is left out.
    counts = _people((6, 4, 5, 0, 0, 0), (3, 2, 2, 0, 0, 0), (3, 1, 2, 0, 0, 0))
    total = evaluate(SATISFIED, counts, [1, 2, 3])
    assert (total.a, total.b, total.answered, total.left_out) == (7, 12, 9, 0)
    assert evaluate(SATISFIED, counts, [2]).hidden and evaluate(SATISFIED, counts, [3]).hidden


def test_a_sum_hidden_by_itself_keeps_its_b() -> None:
    # Two answering mentors in the whole municipality: the sum is hidden anyway, so its
    # B (everyone who took part) stays whole.
    counts = _people((6, 4, 5, 2, 1, 1), (5, 3, 4, 1, 1, 1))
    total = evaluate(MENTORS, counts, [1, 2])
    assert (total.a, total.b, total.answered, total.left_out) == (None, 3, 2, 0)
