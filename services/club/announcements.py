"""Plain announcements: a school curator's to their own school's participants
(everyone, mentors or mentees), a club organiser's to the club's audience in the
municipality (any ClubAudience), with an optional photo or document. How many it will
reach is shown before it goes; then one outbox row per person, each at the first moment
outside their school's quiet hours. The text and file are kept once, in
ClubAnnouncement (rows carry its id), and erased if the author withdraws."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubAnnouncement, ClubAttendance, ClubAudience, Municipality, Participant, School
from services import audit, outbox
from services.access import Actor
from services.club import audience
from services.club.publishing import Due
from services.club.scope import Organising, is_organiser, organising, organising_at
from services.errors import AccessDenied
from services.outbox import Kind
from services.validation import FieldError, long_text

MAX_TEXT = 2000
SCHOOL_AUDIENCES = (ClubAudience.ALL, ClubAudience.MENTORS, ClubAudience.MENTEES)
FILE_KINDS = ("photo", "document")


def clean_text(text: str, *, with_file: bool = False) -> str:
    if with_file and not text.strip():
        return ""  # a photo or a document may come without a caption
    return long_text(text, limit=MAX_TEXT)


Place = tuple[int, int]  # (municipality, school; 0: the municipality's club) chosen


async def where(
    session: AsyncSession, actor: Actor, place: Place | None = None
) -> tuple[Organising, str]:
    """The scope of the actor's announcements and its name: the place they chose among
    several (checked again on every step), else their only one."""
    if not is_organiser(actor):
        raise AccessDenied("club.note.curators_only")
    if place is None:
        scope = await organising(session, actor)
    else:
        scope = await organising_at(session, actor, *place)
    if scope.school_id is not None:
        school = await session.get(School, scope.school_id)
        assert school is not None
        return scope, school.name
    mun = await session.get(Municipality, scope.municipality_id)
    assert mun is not None
    return scope, mun.name


def audiences(scope: Organising) -> tuple[ClubAudience, ...]:
    return SCHOOL_AUDIENCES if scope.school_id is not None else tuple(ClubAudience)


async def _recipients(
    session: AsyncSession, actor: Actor, scope: Organising, to: ClubAudience
) -> list[tuple[int, int | None]]:
    if to not in audiences(scope):
        raise AccessDenied()
    ids = audience.people_query(to, scope.municipality_id, scope.school_id)
    rows = await session.execute(
        select(Participant.id, Participant.school_id).where(Participant.id.in_(ids))
    )
    return [(pid, sid) for pid, sid in rows.all() if pid != actor.participant_id]


async def count(
    session: AsyncSession, actor: Actor, to: ClubAudience, place: Place | None = None
) -> tuple[int, str]:
    """How many people the announcement reaches, and the scope's name."""
    scope, name = await where(session, actor, place)
    return len(await _recipients(session, actor, scope, to)), name


async def send(
    session: AsyncSession,
    actor: Actor,
    to: ClubAudience,
    text: str,
    now: dt.datetime,
    *,
    file_id: str | None = None,
    file_kind: str | None = None,
    place: Place | None = None,
) -> int:
    scope, _ = await where(session, actor, place)
    if file_kind not in (None, *FILE_KINDS) or bool(file_id) != bool(file_kind):
        raise FieldError("club.note.text_only")
    people = await _recipients(session, actor, scope, to)
    note = ClubAnnouncement(
        municipality_id=scope.municipality_id,
        school_id=scope.school_id,
        author_id=actor.participant_id,
        audience=to.value,
        text=clean_text(text, with_file=file_id is not None),
        file_id=file_id[:200] if file_id else None,
        file_kind=file_kind,
        recipients=len(people),
        created_at=now,
    )
    session.add(note)
    await session.flush()
    due = Due(session, now, scope.zone)
    for participant_id, school_id in people:
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.CLUB_SCHOOL_NOTE,
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:note:{note.id}:{participant_id}",
            payload={"note_id": note.id},
        )
    audit.record(
        session,
        now,
        "club.announcement_sent",
        actor_id=actor.participant_id,
        object_type="club_announcement",
        object_id=note.id,
    )
    await session.commit()
    return len(people)


async def erase_texts(session: AsyncSession, participant_id: int) -> None:
    """Withdrawal: the person's announcements lose their texts and files, their
    reflections their texts; the attendance and ratings stay, anonymous with the row."""
    await session.execute(
        update(ClubAnnouncement)
        .where(ClubAnnouncement.author_id == participant_id)
        .values(text=None, file_id=None, file_kind=None)
    )
    await session.execute(
        update(ClubAttendance)
        .where(ClubAttendance.participant_id == participant_id)
        .values(reflection=None)
    )
