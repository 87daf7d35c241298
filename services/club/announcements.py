"""A school curator's plain announcement to their own school's participants (everyone,
mentors or mentees): how many it will reach (shown before it goes), then one outbox
row per person, each at the first moment outside the school's quiet hours. The text is
kept once, in ClubAnnouncement (rows carry its id), and erased if the author withdraws."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubAnnouncement, ClubAttendance, ClubAudience, School
from services import audit, outbox
from services.access import Actor
from services.club import audience
from services.club.publishing import Due
from services.errors import AccessDenied
from services.outbox import Kind
from services.validation import long_text

MAX_TEXT = 2000
AUDIENCES = (ClubAudience.ALL, ClubAudience.MENTORS, ClubAudience.MENTEES)


def clean_text(text: str) -> str:
    return long_text(text, limit=MAX_TEXT)


async def _school(session: AsyncSession, actor: Actor) -> School:
    if not actor.curator_school_ids:
        raise AccessDenied("club.note.curators_only")
    school = await session.get(School, min(actor.curator_school_ids))
    assert school is not None
    return school


async def _recipients(
    session: AsyncSession, actor: Actor, school: School, to: ClubAudience
) -> list[int]:
    if to not in AUDIENCES:
        raise AccessDenied()
    query = audience.people_query(to, school.municipality_id, school.id)
    return [pid for pid in await session.scalars(query) if pid != actor.participant_id]


async def count(session: AsyncSession, actor: Actor, to: ClubAudience) -> tuple[int, str]:
    """How many people the announcement reaches, and the school's name."""
    school = await _school(session, actor)
    return len(await _recipients(session, actor, school, to)), school.name


async def send(
    session: AsyncSession, actor: Actor, to: ClubAudience, text: str, now: dt.datetime
) -> int:
    school = await _school(session, actor)
    people = await _recipients(session, actor, school, to)
    note = ClubAnnouncement(
        school_id=school.id,
        author_id=actor.participant_id,
        audience=to.value,
        text=clean_text(text),
        recipients=len(people),
        created_at=now,
    )
    session.add(note)
    await session.flush()
    due = Due(session, now, school.timezone)
    send_at = await due.at(school.id)
    for participant_id in people:
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.CLUB_SCHOOL_NOTE,
            due_at=send_at,
            now=now,
            dedupe_key=f"club:note:{note.id}:{participant_id}",
            payload={"note_id": note.id},
        )
    audit.record(
        session,
        now,
        "club.school_note_sent",
        actor_id=actor.participant_id,
        object_type="club_announcement",
        object_id=note.id,
    )
    await session.commit()
    return len(people)


async def erase_texts(session: AsyncSession, participant_id: int) -> None:
    """Withdrawal: the person's announcements and reflections lose their texts; the
    attendance and ratings stay, anonymous with the person's row."""
    await session.execute(
        update(ClubAnnouncement)
        .where(ClubAnnouncement.author_id == participant_id)
        .values(text=None)
    )
    await session.execute(
        update(ClubAttendance)
        .where(ClubAttendance.participant_id == participant_id)
        .values(reflection=None)
    )
