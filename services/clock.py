"""Time: the clock (injected, so tests never sleep), a school's local day and time,
and when a message may reach a person (quiet hours, rest days, school holidays).
Everything here but the clock is a pure function of its inputs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock for tests and benchmarks: time moves only when told."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, delta: dt.timedelta) -> None:
        self.at += delta


# --- a school's local time ---------------------------------------------------------------


def local_today(now: dt.datetime, zone: str) -> dt.date:
    """Today in the school's time zone."""
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


def local_to_utc(day: dt.date, hhmm: str, zone: str) -> dt.datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def local_midnight(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zoneinfo.ZoneInfo(zone))


# --- when a message may reach a person ---------------------------------------------------


@dataclass(frozen=True)
class SendRules:
    zone: str
    quiet_from: dt.time = dt.time(21, 0)
    quiet_to: dt.time = dt.time(8, 0)
    rest_days: frozenset[int] = frozenset({6, 7})  # ISO weekdays
    holidays: tuple[tuple[dt.date, dt.date], ...] = field(default_factory=tuple)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone)

    def is_quiet(self, local: dt.datetime) -> bool:
        t = local.timetz().replace(tzinfo=None)
        if self.quiet_from <= self.quiet_to:
            return self.quiet_from <= t < self.quiet_to
        return t >= self.quiet_from or t < self.quiet_to

    def is_day_off(self, day: dt.date) -> bool:
        return day.isoweekday() in self.rest_days or any(
            start <= day <= end for start, end in self.holidays
        )


def parse_rest_days(text: str) -> frozenset[int]:
    return frozenset(
        int(p)
        for p in text.replace(" ", "").split(",")
        if p.isascii() and p.isdigit() and len(p) < 3
    )


def next_allowed(at: dt.datetime, rules: SendRules, *, days_off_count: bool = True) -> dt.datetime:
    """The first moment at or after ``at`` outside quiet hours (and, for nudges, not on a
    rest day or a holiday), in UTC. ``days_off_count`` is False for messages about a
    meeting the person set on that day themselves."""
    local = at.astimezone(rules.tz)
    for _ in range(400):  # a year of days off at most; a guard, not a real bound
        if days_off_count and rules.is_day_off(local.date()):
            local = _morning(local.date() + dt.timedelta(days=1), rules)
            continue
        if rules.is_quiet(local):
            day = local.date()
            if local.timetz().replace(tzinfo=None) >= rules.quiet_from > rules.quiet_to:
                day += dt.timedelta(days=1)
            local = _morning(day, rules)
            continue
        return local.astimezone(dt.UTC)
    return local.astimezone(dt.UTC)


def _morning(day: dt.date, rules: SendRules) -> dt.datetime:
    # Wall-clock time in the zone; zoneinfo resolves DST gaps by folding forward.
    return dt.datetime.combine(day, rules.quiet_to, tzinfo=rules.tz)
