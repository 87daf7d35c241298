"""Checks before a flow starts (and again when it ends)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, Meeting, MeetingKind, MeetingStatus, Pair
from services.access import Actor, school_in_scope
from services.clock import Clock
from services.errors import AccessDenied, DomainError, NotFound
from services.meetings.access import (
    meeting_of_member,
    require_live,
    require_mentor,
    zone_of,
)
from services.meetings.reading import OPEN, MeetingInfo, info, open_meeting
from services.meetings.views import MyPair, card_of


def require_movable(
    meeting: Meeting, pair: Pair, participant_id: int | None, counter: bool
) -> None:
    require_live(pair)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    if counter and (
        meeting.status != MeetingStatus.PROPOSED or meeting.created_by_id == participant_id
    ):
        raise DomainError("meeting.error.not_open")


def require_loggable(
    meeting: Meeting, pair: Pair, participant_id: int | None, now: dt.datetime
) -> None:
    require_mentor(pair, participant_id)
    if meeting.status == MeetingStatus.HELD:
        raise DomainError("meeting.error.already_logged")
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    if meeting.starts_at > now:
        raise DomainError("meeting.error.not_yet")


async def check_movable(
    session: AsyncSession, participant_id: int | None, meeting_id: int, *, counter: bool
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    require_movable(meeting, pair, participant_id, counter)
    return await info(session, meeting, await zone_of(session, pair))


async def check_cancellable(
    session: AsyncSession, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    return await info(session, meeting, await zone_of(session, pair))


async def check_loggable(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    require_loggable(meeting, pair, participant_id, clock.now())
    return await info(session, meeting, await zone_of(session, pair))


async def check_schedulable(
    session: AsyncSession, participant_id: int | None, pair_id: int, *, log: bool = False
) -> MyPair:
    """Whether the person may open «Назначить встречу» (or, for the mentor, «Записать
    встречу») for this pair. From the card, which the dialog shows next (read once)."""
    card = await card_of(session, participant_id or 0, pair_id)
    if card.status not in LIVE_PAIR or card.next_kind is None:
        raise DomainError("meeting.error.pair_closed")
    if log and not card.is_mentor:
        raise AccessDenied("meeting.error.mentor_only")
    if not log and card.open_meeting is not None:
        raise DomainError("meeting.error.has_open")
    return card


async def check_skippable(session: AsyncSession, actor: Actor, pair_id: int) -> MeetingKind:
    pair = await session.get(Pair, pair_id)
    if pair is None:
        raise NotFound()
    await school_in_scope(session, actor, pair.school_id)
    require_live(pair)
    kind = pair.next_kind
    assert kind is not None
    if kind == MeetingKind.FINAL:
        raise DomainError("meeting.error.final_not_skipped")
    current = await open_meeting(session, pair.id)
    if current is not None and current.kind == kind:
        raise DomainError("meeting.error.skip_has_open")
    return kind


async def next_kind_of(session: AsyncSession, pair_id: int) -> MeetingKind | None:
    return await session.scalar(select(Pair.next_kind).where(Pair.id == pair_id))
