"""The club's coming events for a curator's or coordinator's weekly digest: published
events of the municipality's club and of the scope's schools in the next two weeks,
with how many said they would come. One query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEvent, ClubEventStatus, ClubRsvp, RsvpStatus

AHEAD = dt.timedelta(days=14)
MAX_LINES = 5


@dataclass(frozen=True)
class ComingEvent:
    event_id: int
    title: str
    starts_at: dt.datetime
    going: int
    capacity: int | None


async def coming(
    session: AsyncSession, municipality_id: int, school_ids: tuple[int, ...], now: dt.datetime
) -> list[ComingEvent]:
    going = (
        select(func.count())
        .where(ClubRsvp.event_id == ClubEvent.id, ClubRsvp.status == RsvpStatus.GOING)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(ClubEvent.id, ClubEvent.title, ClubEvent.starts_at, going, ClubEvent.capacity)
        .where(
            ClubEvent.status == ClubEventStatus.PUBLISHED,
            ClubEvent.starts_at > now,
            ClubEvent.starts_at <= now + AHEAD,
            ClubEvent.municipality_id == municipality_id,
            or_(ClubEvent.school_id.is_(None), ClubEvent.school_id.in_(school_ids)),
        )
        .order_by(ClubEvent.starts_at, ClubEvent.id)
        .limit(MAX_LINES)
    )
    return [ComingEvent(*row) for row in rows.all()]
