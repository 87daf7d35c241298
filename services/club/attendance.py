"""After the event: the organiser marks who came (those who said they would, toggled,
plus walk-ins among the event's people), then each attendee gets a one-tap rating 1–5
and may add a reflection; materials the organiser sends reach the attendees (or, before
the event, those coming) and stay on the card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ClubAttendance,
    ClubEvent,
    ClubEventStatus,
    ClubMaterial,
    ClubRsvp,
    Participant,
    ParticipantStatus,
    RsvpStatus,
    School,
)
from services import audit, outbox
from services.access import Actor
from services.club.publishing import Due
from services.club.scope import event_to_organise, zone_of
from services.errors import DomainError, NotFound
from services.outbox import Kind
from services.validation import long_text

MAX_REFLECTION = 1000
MAX_ROSTER = 60


@dataclass(frozen=True)
class Person:
    participant_id: int
    name: str
    came: bool


@dataclass(frozen=True)
class Roster:
    event_id: int
    title: str
    people: list[Person]


async def _started(
    session: AsyncSession, actor: Actor, event_id: int, now: dt.datetime
) -> ClubEvent:
    event = await event_to_organise(session, actor, event_id)
    if event.status != ClubEventStatus.PUBLISHED:
        raise DomainError("club.error.not_published")
    if event.starts_at > now:
        raise DomainError("club.attend.not_yet")
    return event


async def roster(session: AsyncSession, actor: Actor, event_id: int, now: dt.datetime) -> Roster:
    event = await _started(session, actor, event_id, now)
    came = set(
        await session.scalars(
            select(ClubAttendance.participant_id).where(ClubAttendance.event_id == event.id)
        )
    )
    going = select(ClubRsvp.participant_id).where(
        ClubRsvp.event_id == event.id, ClubRsvp.status == RsvpStatus.GOING
    )
    rows = await session.execute(
        select(Participant.id, Participant.full_name)
        .where(or_(Participant.id.in_(going), Participant.id.in_(came)))
        .order_by(Participant.full_name, Participant.id)
        .limit(MAX_ROSTER)
    )
    people = [Person(pid, name or "—", pid in came) for pid, name in rows.all()]
    return Roster(event.id, event.title, people)


async def _of_event(session: AsyncSession, event: ClubEvent, participant_id: int) -> bool:
    """The person belongs where the event is: its school, or its municipality."""
    person = await session.get(Participant, participant_id)
    if person is None or person.status != ParticipantStatus.ACTIVE or person.school_id is None:
        return False
    if event.school_id is not None:
        return person.school_id == event.school_id
    school = await session.get(School, person.school_id)
    return school is not None and school.municipality_id == event.municipality_id


async def toggle(
    session: AsyncSession, actor: Actor, event_id: int, participant_id: int, now: dt.datetime
) -> bool:
    """Mark or unmark; True if the person is now marked as having come."""
    event = await _started(session, actor, event_id, now)
    if not await _of_event(session, event, participant_id):
        raise NotFound()
    found = await session.get(ClubAttendance, (event.id, participant_id))
    if found is not None:
        await session.execute(
            delete(ClubAttendance).where(
                ClubAttendance.event_id == event.id,
                ClubAttendance.participant_id == participant_id,
            )
        )
        came = False
    else:
        session.add(ClubAttendance(event_id=event.id, participant_id=participant_id, marked_at=now))
        came = True
    await session.commit()
    return came


async def walk_in_candidates(
    session: AsyncSession, actor: Actor, event_id: int, query: str, now: dt.datetime
) -> list[tuple[int, str]]:
    """People of the event's school or municipality whose name contains the query."""
    event = await _started(session, actor, event_id, now)
    q = query.strip()
    in_place = (
        Participant.school_id == event.school_id
        if event.school_id is not None
        else Participant.school_id.in_(
            select(School.id).where(School.municipality_id == event.municipality_id)
        )
    )
    rows = await session.execute(
        select(Participant.id, Participant.full_name)
        .where(Participant.status == ParticipantStatus.ACTIVE, in_place)
        .where(
            Participant.full_name.icontains(q, autoescape=True)
            | Participant.full_name.contains(q.capitalize(), autoescape=True)
        )
        .order_by(Participant.full_name)
        .limit(10)
    )
    return [(pid, name or "—") for pid, name in rows.all()]


async def ask_ratings(session: AsyncSession, actor: Actor, event_id: int, now: dt.datetime) -> int:
    """«Готово»: each attendee gets «Оцените мероприятие» once (a second «Готово»
    reaches only those marked since)."""
    event = await _started(session, actor, event_id, now)
    rows = await session.execute(
        select(ClubAttendance.participant_id, Participant.school_id)
        .join(Participant, Participant.id == ClubAttendance.participant_id)
        .where(ClubAttendance.event_id == event.id)
    )
    people = rows.all()
    due = Due(session, now, await zone_of(session, event))
    for participant_id, school_id in people:
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.CLUB_RATE,
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:rate:{event.id}:{participant_id}",
            payload={"event_id": event.id},
        )
    audit.record(
        session, now, "club.attendance_marked", actor_id=actor.participant_id,
        object_type="club_event", object_id=event.id,
    )  # fmt: skip
    await session.commit()
    return len(people)


async def _attendance(session: AsyncSession, actor: Actor, event_id: int) -> ClubAttendance:
    if actor.participant_id is None:
        raise NotFound()
    found = await session.get(ClubAttendance, (event_id, actor.participant_id))
    if found is None:
        raise NotFound()
    return found


async def rate(session: AsyncSession, actor: Actor, event_id: int, score: int) -> str:
    if not 1 <= score <= 5:
        raise DomainError("error.stale_button")
    found = await _attendance(session, actor, event_id)
    found.rating = score
    event = await session.get(ClubEvent, event_id)
    assert event is not None
    title = event.title
    await session.commit()
    return title


def clean_reflection(text: str) -> str:
    return long_text(text, limit=MAX_REFLECTION)


async def reflect(session: AsyncSession, actor: Actor, event_id: int, text: str) -> None:
    found = await _attendance(session, actor, event_id)
    found.reflection = clean_reflection(text)
    await session.commit()


# --- materials -------------------------------------------------------------------------


async def add_material(
    session: AsyncSession,
    actor: Actor,
    event_id: int,
    file_id: str,
    file_name: str,
    now: dt.datetime,
) -> int:
    """Keep the file on the event and send it to those who came (after the event) or
    who are coming (before it); returns how many it reaches."""
    event = await event_to_organise(session, actor, event_id)
    if event.status != ClubEventStatus.PUBLISHED:
        raise DomainError("club.error.not_published")
    material = ClubMaterial(
        event_id=event.id,
        file_id=file_id[:200],
        file_name=(file_name or "material")[:200],
        added_by_id=actor.participant_id,
        added_at=now,
    )
    session.add(material)
    await session.flush()
    if event.starts_at <= now:
        who = select(ClubAttendance.participant_id).where(ClubAttendance.event_id == event.id)
    else:
        who = select(ClubRsvp.participant_id).where(
            ClubRsvp.event_id == event.id, ClubRsvp.status == RsvpStatus.GOING
        )
    rows = (
        await session.execute(
            select(Participant.id, Participant.school_id).where(Participant.id.in_(who))
        )
    ).all()
    due = Due(session, now, await zone_of(session, event))
    for participant_id, school_id in rows:
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.CLUB_MATERIAL,
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:mat:{material.id}:{participant_id}",
            payload={"event_id": event.id, "material_id": material.id},
        )
    await session.commit()
    return len(rows)


async def materials_of(session: AsyncSession, event_id: int) -> list[ClubMaterial]:
    return list(
        await session.scalars(
            select(ClubMaterial).where(ClubMaterial.event_id == event_id).order_by(ClubMaterial.id)
        )
    )
