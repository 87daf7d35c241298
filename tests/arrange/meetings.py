"""Meetings of a pair. One helper: a held meeting gets a duration and a log time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingFormat, MeetingKind, MeetingStatus, Pair, Participant
from tests.arrange.constants import NOW


async def meeting(
    db: AsyncSession,
    pair: Pair,
    kind: MeetingKind = MeetingKind.INTRO,
    starts_at: dt.datetime = NOW + dt.timedelta(days=2),
    *,
    status: MeetingStatus = MeetingStatus.CONFIRMED,
    created_by: Participant | None = None,
    duration_min: int | None = None,
) -> Meeting:
    held = status == MeetingStatus.HELD
    m = Meeting(
        pair_id=pair.id,
        kind=kind,
        status=status,
        starts_at=starts_at,
        format=MeetingFormat.OFFLINE,
        place="кабинет 5",
        created_by_id=created_by.id if created_by else pair.mentor_id,
        duration_min=duration_min or (45 if held else None),
        logged_at=starts_at + dt.timedelta(hours=1) if held else None,
        created_at=NOW,
    )
    db.add(m)
    await db.commit()
    return m
