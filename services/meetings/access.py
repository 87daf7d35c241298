"""Who may touch a pair or a meeting: its mentor or one of its current mentees; and
whether the pair is live. Every id that comes from a button is checked here."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, Meeting, Pair, School
from models.loading import PAIR_PEOPLE_NAMES
from services.errors import AccessDenied, DomainError, NotFound


async def zone_of(session: AsyncSession, pair: Pair) -> str:
    """The pair's school's time zone (every pair has a school, every school a zone)."""
    return (await session.get_one(School, pair.school_id)).timezone


def role_in(pair: Pair, participant_id: int | None) -> str | None:
    if participant_id is None:
        return None
    if pair.mentor_id == participant_id:
        return "mentor"
    if any(m.mentee_id == participant_id for m in pair.active_members):
        return "mentee"
    return None


def members(pair: Pair) -> list[int]:
    return [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]


async def pair_of_member(session: AsyncSession, participant_id: int | None, pair_id: int) -> Pair:
    """The pair, if the person is its mentor or one of its current mentees."""
    pair = await session.get(Pair, pair_id, options=PAIR_PEOPLE_NAMES)
    if pair is None:
        raise NotFound()
    if role_in(pair, participant_id) is None:
        raise AccessDenied("meeting.error.not_your_pair")
    return pair


async def meeting_of_member(
    session: AsyncSession, participant_id: int | None, meeting_id: int
) -> tuple[Meeting, Pair]:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    pair = await pair_of_member(session, participant_id, meeting.pair_id)
    return meeting, pair


def require_mentor(pair: Pair, participant_id: int | None) -> None:
    if pair.mentor_id != participant_id:
        raise AccessDenied("meeting.error.mentor_only")


def require_live(pair: Pair) -> None:
    if pair.status not in LIVE_PAIR or pair.next_kind is None:
        raise DomainError("meeting.error.pair_closed")
