"""What is usual at a school: the time its meetings start at and how long they last,
so a form can open on it (teachers meet after lessons, not at 8 am)."""

from __future__ import annotations

import zoneinfo
from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingStatus, Pair

DEFAULT_TIME = "15:00"  # the afternoon, after lessons
DEFAULT_DURATION = 45
RECENT = 200  # the meetings looked at, latest first


@dataclass(frozen=True)
class Habits:
    time: str  # "HH:MM" local
    duration_min: int


# Built once (the meeting dialog's start asks): SQLAlchemy memoizes its cache key.
_RECENT_AT_SCHOOL = (
    select(Meeting.starts_at, Meeting.duration_min)
    .join(Pair, Pair.id == Meeting.pair_id)
    .where(
        Pair.school_id
        == select(Pair.school_id).where(Pair.id == bindparam("pair_id")).scalar_subquery(),
        Meeting.status.in_((MeetingStatus.HELD, MeetingStatus.CONFIRMED)),
    )
    .order_by(Meeting.starts_at.desc())
    .limit(RECENT)
)


async def school_habits(session: AsyncSession, pair_id: int, timezone: str) -> Habits:
    """The most common start time (local, in the school's ``timezone``, which the caller
    has from the pair's card) and duration of the meetings held or agreed at the pair's
    school; the afternoon and 45 minutes where there are none yet."""
    # Two columns in one read, not the Pair: its default loading brings both people's
    # roles and profiles (eight queries), and nothing here reads them.
    zone = zoneinfo.ZoneInfo(timezone)
    rows = (await session.execute(_RECENT_AT_SCHOOL, {"pair_id": pair_id})).all()
    times = Counter(r.starts_at.astimezone(zone).strftime("%H:%M") for r in rows)
    durations = Counter(r.duration_min for r in rows if r.duration_min)
    return Habits(
        time=_most_common(times, DEFAULT_TIME),
        duration_min=_most_common(durations, DEFAULT_DURATION),
    )


T = TypeVar("T", str, int)


def _most_common(counts: Counter[T], default: T) -> T:
    # Ties go to the later time / longer meeting: max over (count, value).
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else default
