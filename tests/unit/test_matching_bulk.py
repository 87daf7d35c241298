"""«Подобрать всем», the pure part: the optimal assignment beats greedy where greedy is
wrong, never exceeds a mentor's places, prefers matching more mentees, and the score
matrix is exactly services.matching.score()."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matching import MenteeFacts, MentorFacts, score
from services.matching_bulk import Proposal, greedy, optimal, score_matrix, total_score


def _arr(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.int64)


def test_greedy_is_wrong_and_the_optimum_is_found() -> None:
    # Two mentors with one place each. Greedy gives mentee 0 her best (mentor 0, 100)
    # and leaves mentee 1 the poor fit (10): 110. The optimum swaps: 90 + 95 = 185.
    scores = _arr([[100, 90], [95, 10]])
    allowed = np.ones((2, 2), dtype=bool)
    free = np.array([1, 1])
    assert greedy(scores, allowed, free) == [0, 1]
    assert total_score(scores, greedy(scores, allowed, free)) == 110
    best = optimal(scores, allowed, free)
    assert best == [1, 0]
    assert total_score(scores, best) == 185


def test_a_mentor_with_two_places_takes_two_and_capacity_holds() -> None:
    # Mentor 0 has two places, mentor 1 one: three mentees, all matched, best total.
    scores = _arr([[50, 40], [60, 10], [55, 54]])
    allowed = np.ones((3, 2), dtype=bool)
    got = optimal(scores, allowed, np.array([2, 1]))
    assert sorted(got, key=lambda j: -1 if j is None else j) == [0, 0, 1]
    assert total_score(scores, got) == max(
        total_score(scores, list(p)) for p in set(itertools.permutations([0, 0, 1]))
    )


def test_more_mentees_matched_before_a_higher_total() -> None:
    # Mentee 1 fits only mentor 0. Taking mentor 0 for mentee 0 (100) would leave
    # mentee 1 without anyone: the proposal gives both a mentor (40 + 10).
    scores = _arr([[100, 40], [10, 0]])
    allowed = np.array([[True, True], [True, False]])
    assert optimal(scores, allowed, np.array([1, 1])) == [1, 0]


def test_forbidden_pairs_and_full_mentors_are_never_proposed() -> None:
    scores = _arr([[100, 90], [95, 80]])
    allowed = np.array([[False, True], [True, True]])
    assert optimal(scores, allowed, np.array([0, 1])) == [1, None]
    assert optimal(scores, np.zeros((2, 2), dtype=bool), np.array([1, 1])) == [None, None]
    assert optimal(np.zeros((0, 2), dtype=np.int64), allowed[:0], np.array([1, 1])) == []


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 9),
    caps=st.lists(st.integers(0, 3), min_size=1, max_size=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_capacities_are_never_exceeded_and_the_optimum_is_at_least_greedy(
    n: int, caps: list[int], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.integers(-60, 150, size=(n, len(caps))).astype(np.int64)
    allowed = rng.random((n, len(caps))) < 0.7
    free = np.array(caps, dtype=np.int64)
    got = optimal(scores, allowed, free)
    assert len(got) == n
    for j, cap in enumerate(caps):
        assert sum(1 for x in got if x == j) <= cap
    for r, mentor in enumerate(got):
        assert mentor is None or allowed[r, mentor]
    base = greedy(scores, allowed, free)
    matched = sum(x is not None for x in got)
    assert matched >= sum(x is not None for x in base)
    if matched == sum(x is not None for x in base):
        assert total_score(scores, got) >= total_score(scores, base)


_subjects = st.sampled_from([None, "", "математика", "Математика ", "ёлка", "елка", "физика"])
_items = st.frozensets(st.integers(1, 6), max_size=4)


@settings(max_examples=80, deadline=None)
@given(
    mentees=st.lists(
        st.builds(
            MenteeFacts,
            participant_id=st.integers(1, 50),
            school_id=st.sampled_from([None, 1, 2]),
            subject=_subjects,
            deficits=_items,
        ),
        min_size=1,
        max_size=4,
    ),
    mentors=st.lists(
        st.builds(
            MentorFacts,
            participant_id=st.integers(51, 99),
            school_id=st.sampled_from([None, 1, 2, 3]),
            subject=_subjects,
            competencies=_items,
            capacity=st.integers(0, 3),
            current_mentees=st.integers(0, 3),
            experience_years=st.one_of(st.none(), st.integers(0, 45)),
            ended_with_mentee=st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_the_score_matrix_is_the_score_function(
    mentees: list[MenteeFacts], mentors: list[MentorFacts]
) -> None:
    matrix = score_matrix(mentees, mentors)
    expected = [[score(a, b).total for b in mentors] for a in mentees]
    assert matrix.tolist() == expected


def test_the_proposal_round_trips_through_fsm_data_and_rejects_junk() -> None:
    p = Proposal(((1, 10), (2, 11)), ((3, "taken"),))
    assert Proposal.from_data(p.as_data()) == p
    assert Proposal.from_data(None) is None
    assert Proposal.from_data({"pairs": [["x", 1]], "left": []}) is None
    assert Proposal.from_data({"pairs": [[1, 2, 3]], "left": []}) is None
    removed = p.without(1)
    assert removed.pairs == ((2, 11),) and (1, "removed") in removed.left
    swapped = removed.with_mentor(3, 10)
    assert swapped.pairs == ((2, 11), (3, 10)) and swapped.left == ((1, "removed"),)
