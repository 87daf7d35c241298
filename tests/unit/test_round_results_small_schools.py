"""A municipality's round results leave out schools of 1–2 responses when, together,
they are still fewer than three: otherwise its distribution minus the schools shown
(each school's own results are visible to a coordinator) would be their answers."""

from __future__ import annotations

from models import Role
from services.surveys.results import _small_schools


def test_one_small_school_is_left_out_of_the_municipality() -> None:
    cells = {(1, Role.MENTEE): 5, (2, Role.MENTEE): 1, (1, Role.MENTOR): 4}
    assert _small_schools(cells) == {Role.MENTEE: [2]}


def test_small_schools_stay_in_when_together_they_are_enough() -> None:
    cells = {(1, Role.MENTEE): 5, (2, Role.MENTEE): 2, (3, Role.MENTEE): 1}
    assert _small_schools(cells) == {}


def test_schools_without_answers_tell_nothing() -> None:
    cells = {(1, Role.MENTOR): 3, (2, Role.MENTOR): 0}
    assert _small_schools(cells) == {}


def test_nothing_is_left_out_when_the_whole_is_hidden_anyway() -> None:
    cells = {(1, Role.MENTEE): 1, (2, Role.MENTEE): 1}
    assert _small_schools(cells) == {}
