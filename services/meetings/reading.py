"""Reading a meeting as the UI shows it (MeetingInfo), the pair's open meeting and
what kinds may be scheduled next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingFormat, MeetingKind, MeetingStatus, Pair
from services.meetings.access import zone_of
from services.meetings.outbox_rows import sequence_of

OPEN = (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    pair_id: int
    kind: MeetingKind
    status: MeetingStatus
    starts_at: dt.datetime
    zone: str
    sequence: int = 0
    duration_min: int | None = None
    format: MeetingFormat | None = None
    place: str | None = None
    topic: str | None = None
    skip_reason: str | None = None
    created_by_id: int | None = None


async def info(
    session: AsyncSession,
    meeting: Meeting,
    zone: str | None = None,
    *,
    sequence: int | None = None,
) -> MeetingInfo:
    """``sequence``: given by a caller that knows it (a meeting it has just created has
    never been moved: 0), else read from the meeting's notices."""
    if zone is None:
        zone = await zone_of(session, await session.get_one(Pair, meeting.pair_id))
    return MeetingInfo(
        id=meeting.id,
        pair_id=meeting.pair_id,
        kind=meeting.kind,
        status=meeting.status,
        starts_at=meeting.starts_at,
        zone=zone,
        sequence=await sequence_of(session, meeting.id) if sequence is None else sequence,
        duration_min=meeting.duration_min,
        format=meeting.format,
        place=meeting.place,
        topic=meeting.topic,
        skip_reason=meeting.skip_reason,
        created_by_id=meeting.created_by_id,
    )


async def open_meeting(session: AsyncSession, pair_id: int) -> Meeting | None:
    return await session.scalar(
        select(Meeting)
        .where(Meeting.pair_id == pair_id, Meeting.status.in_(OPEN))
        .order_by(Meeting.starts_at)
        .limit(1)
    )


async def regular_held(session: AsyncSession, pair_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(
                Meeting.pair_id == pair_id,
                Meeting.kind == MeetingKind.REGULAR,
                Meeting.status == MeetingStatus.HELD,
            )
        )
        or 0
    )


async def allowed_kinds(
    session: AsyncSession, pair: Pair, participant_id: int, *, held_regular: int | None = None
) -> list[MeetingKind]:
    """The proposed next kind, and for the mentor after a regular meeting, the final one.
    held_regular: the pair's held regular meetings, if the caller has counted them."""
    is_mentor = pair.mentor_id == participant_id
    if held_regular is None and pair.next_kind == MeetingKind.REGULAR and is_mentor:
        held_regular = await regular_held(session, pair.id)
    return kinds_allowed(pair.next_kind, is_mentor, held_regular or 0)


def kinds_allowed(
    next_kind: MeetingKind | None, is_mentor: bool, held_regular: int
) -> list[MeetingKind]:
    if next_kind is None:
        return []
    kinds = [next_kind]
    if next_kind == MeetingKind.REGULAR and is_mentor and held_regular > 0:
        kinds.append(MeetingKind.FINAL)
    return kinds
