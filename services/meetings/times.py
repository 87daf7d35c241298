"""Local times of a meeting: the time buttons, a local day and time in UTC, a school's
today and a pair's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy.ext.asyncio import AsyncSession

from models import Pair, School

# Time buttons: 08:00 … 19:30 local, every 30 minutes.
FIRST_SLOT = dt.time(8, 0)
LAST_SLOT = dt.time(19, 30)


def slots() -> list[str]:
    """The time buttons, "HH:MM" local."""
    out = []
    t = dt.datetime.combine(dt.date(2000, 1, 1), FIRST_SLOT)
    end = dt.datetime.combine(dt.date(2000, 1, 1), LAST_SLOT)
    while t <= end:
        out.append(t.strftime("%H:%M"))
        t += dt.timedelta(minutes=30)
    return out


def local_to_utc(day: dt.date, hhmm: str, zone: str) -> dt.datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def local_today(now: dt.datetime, zone: str) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


async def zone_of(session: AsyncSession, pair: Pair) -> str:
    school = await session.get(School, pair.school_id)
    return school.timezone if school else "Europe/Moscow"
