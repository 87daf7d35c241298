"""Working-day arithmetic: the school's rest days and the federal calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from services.working_days import WorkCalendar

FIVE_DAYS = WorkCalendar()
SIX_DAYS = WorkCalendar(rest_days=frozenset({7}))


def test_three_working_days_from_a_friday_cross_the_weekend() -> None:
    assert FIVE_DAYS.add(dt.date(2026, 11, 27), 3) == dt.date(2026, 12, 2)  # Fri → Wed


def test_a_holiday_midweek_is_skipped() -> None:
    # 4 November 2026 (Wednesday) is День народного единства.
    assert FIVE_DAYS.add(dt.date(2026, 11, 3), 3) == dt.date(2026, 11, 9)


def test_new_year_holidays_and_the_moved_thirty_first() -> None:
    # 31.12.2026 is a moved day off, 1–8 January are holidays, 9–10 January 2027 a weekend.
    assert FIVE_DAYS.add(dt.date(2026, 12, 30), 3) == dt.date(2027, 1, 13)


def test_a_weekend_holiday_moves_the_day_off_to_monday() -> None:
    # 8 March 2026 is a Sunday: Monday 9 March is off.
    assert FIVE_DAYS.add(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 10)


def test_a_working_saturday_counts_even_where_saturday_is_a_rest_day() -> None:
    assert FIVE_DAYS.add(dt.date(2025, 10, 31), 1) == dt.date(2025, 11, 1)
    assert not FIVE_DAYS.is_working(dt.date(2025, 11, 3))  # the day it was moved to


def test_a_six_day_school_works_on_saturday() -> None:
    assert SIX_DAYS.add(dt.date(2026, 11, 27), 3) == dt.date(2026, 12, 1)
    assert not SIX_DAYS.is_working(dt.date(2026, 11, 4))


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_year_has_as_many_working_days_as_the_production_calendar(year: int) -> None:
    # 247 working days in 2025 and in 2026 for a five-day week.
    assert FIVE_DAYS.between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)) == 247


def test_between_counts_after_the_start_up_to_the_end() -> None:
    assert FIVE_DAYS.between(dt.date(2026, 11, 27), dt.date(2026, 12, 2)) == 3
    assert FIVE_DAYS.between(dt.date(2026, 11, 27), dt.date(2026, 11, 27)) == 0
