"""What the pair notices need: an introduction as one recipient sees it, and the news
that a pair ended."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, CatalogueKind, Pair, PairStatus, Participant, School
from services import catalogue
from services.pairs.people import Person, person, shown_members


@dataclass(frozen=True)
class Intro:
    """An introduction, as seen by one recipient."""

    to_mentor: bool
    other: Person
    mentee: Participant
    mentor: Participant
    school_name: str
    deficits: list[str]
    request_text: str | None
    group_size: int
    order_number: str | None
    order_date: dt.date | None


async def intro(
    session: AsyncSession, pair_id: int, mentee_id: int, recipient_id: int
) -> Intro | None:
    """None when it no longer makes sense to send (the pair ended, someone left)."""
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.status not in LIVE_PAIR:
        return None
    member = next((m for m in pair.active_members if m.mentee_id == mentee_id), None)
    if member is None:
        return None
    mentee, mentor = member.mentee, pair.mentor
    if mentee.telegram_id is None or mentor.telegram_id is None:
        return None
    if recipient_id not in (mentor.id, mentee.id):
        return None
    school = await session.get(School, pair.school_id)
    to_mentor = recipient_id == mentor.id
    return Intro(
        to_mentor=to_mentor,
        other=person(mentee if to_mentor else mentor),
        mentee=mentee,
        mentor=mentor,
        school_name=school.name if school else "",
        deficits=await catalogue.titles(session, mentee.marks(CatalogueKind.DEFICIT)),
        request_text=mentee.mentee_profile.request_text if mentee.mentee_profile else None,
        group_size=len(pair.active_members),
        order_number=pair.order_number,
        order_date=pair.order_date,
    )


@dataclass(frozen=True)
class Ended:
    others: list[str]
    reason: str
    to_mentor: bool


async def ended(session: AsyncSession, pair_id: int, recipient_id: int) -> Ended | None:
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.status != PairStatus.ENDED:
        return None
    to_mentor = recipient_id == pair.mentor_id
    if to_mentor:
        others = [m.mentee.full_name for m in shown_members(pair)]
    else:
        others = [pair.mentor.full_name]
    return Ended([o for o in others if o], pair.end_reason or "", to_mentor)
