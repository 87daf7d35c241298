"""Working days, in one place: the notice before a pair ends early, the reminders about
a mentor's unanswered proposal, anything else counted «in working days».

A school's working day is a day that is not one of its rest days (the programme's
``rest_days``, ISO weekdays, «6,7» by default) and not a federal non-working day
(below). A Saturday the federal calendar makes a working day (a transfer) is a working
day even at a school resting on Saturdays.

School holidays (каникулы, the municipality's ``Holiday`` rows) are NOT days off here:
they only keep reminders quiet (services.clock.SendRules). Whether каникулы count as
working time is not the bot's call; the count here follows the federal calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services import programmes
from services.clock import parse_rest_days

_D = dt.date

# Federal non-working days (нерабочие праздничные дни and the days off moved to a weekday).
# Source: art. 112 of the Labour Code (ТК РФ) for the holidays themselves, and the
# production calendars (производственный календарь) that follow the Government's decrees
# on moving days off: for 2025 — постановление Правительства РФ от 04.10.2024 № 1335;
# for 2026 — the Government's decree on days off in 2026 (Jan 3 → Jan 9, Jan 4 → Dec 31)
# and art. 112 part 2 (a holiday on a weekend moves the day off to the next working day).
# 2027: only the holidays and the art. 112 part 2 moves are listed; the January moves
# are set by the Government's decree for 2027 — add them here once checked against it.
_HOLIDAYS_BY_YEAR: dict[int, tuple[dt.date, ...]] = {
    year: (
        *(_D(year, 1, d) for d in range(1, 9)),  # новогодние каникулы и Рождество
        _D(year, 2, 23),
        _D(year, 3, 8),
        _D(year, 5, 1),
        _D(year, 5, 9),
        _D(year, 6, 12),
        _D(year, 11, 4),
    )
    for year in (2025, 2026, 2027)
}
_MOVED_DAYS_OFF: tuple[dt.date, ...] = (
    # 2025
    _D(2025, 5, 2),
    _D(2025, 5, 8),
    _D(2025, 6, 13),
    _D(2025, 11, 3),
    _D(2025, 12, 31),
    # 2026
    _D(2026, 1, 9),
    _D(2026, 3, 9),
    _D(2026, 5, 11),
    _D(2026, 12, 31),
    # 2027 (art. 112 part 2 only)
    _D(2027, 5, 3),
    _D(2027, 5, 10),
    _D(2027, 6, 14),
)
# Saturdays worked instead of a moved day off.
FEDERAL_WORKING_WEEKENDS: frozenset[dt.date] = frozenset({_D(2025, 11, 1)})
FEDERAL_DAYS_OFF: frozenset[dt.date] = frozenset(
    {d for days in _HOLIDAYS_BY_YEAR.values() for d in days} | set(_MOVED_DAYS_OFF)
)

# A guard for the loops below: no calendar has a month of days off in a row.
_MAX_DAYS_OFF_IN_A_ROW = 60


@dataclass(frozen=True)
class WorkCalendar:
    rest_days: frozenset[int] = frozenset({6, 7})  # ISO weekdays

    def is_working(self, day: dt.date) -> bool:
        if day in FEDERAL_DAYS_OFF:
            return False
        if day in FEDERAL_WORKING_WEEKENDS:
            return True
        return day.isoweekday() not in self.rest_days

    def add(self, start: dt.date, working_days: int) -> dt.date:
        """The ``working_days``-th working day after ``start`` (``start`` itself does not
        count: a notice given on Friday for three working days ends on Wednesday)."""
        day, left, idle = start, working_days, 0
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working(day):
                left, idle = left - 1, 0
            else:
                idle += 1
                if idle > _MAX_DAYS_OFF_IN_A_ROW:
                    raise ValueError("no working days in the calendar")
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working(start + dt.timedelta(days=offset))
        )


async def for_school(session: AsyncSession, school_id: int, today: dt.date) -> WorkCalendar:
    """The school's calendar: its programme's rest days and the federal calendar."""
    programme = await programmes.for_school(session, school_id, today)
    rest = parse_rest_days(programme.rest_days)
    # A programme with every day «rest» would never reach a working day.
    return WorkCalendar(rest_days=rest if len(rest) < 7 else frozenset({6, 7}))
