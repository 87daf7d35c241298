"""The club's plan: adding, changing and cancelling events, the list of coming events a
person may see, and an event's card. Changes and cancellations are told through
services.club.publishing in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ClubAttendance,
    ClubAudience,
    ClubEvent,
    ClubEventKind,
    ClubEventStatus,
    ClubMaterial,
    ClubRsvp,
    Participant,
    RsvpStatus,
    School,
)
from services import audit
from services.access import Actor
from services.club import audience, publishing
from services.club.scope import (
    event_to_organise,
    may_organise,
    organising,
    organising_at,
    zone_of,
)
from services.errors import DomainError, NotFound
from services.validation import FieldError, long_text, plain_digits, short_text

MAX_TITLE = 200
MAX_PLACE = 300
MAX_DESCRIPTION = 2000
MAX_CAPACITY = 5000


@dataclass(frozen=True)
class Draft:
    title: str
    kind: ClubEventKind
    starts_at: dt.datetime
    audience: ClubAudience
    place: str | None = None
    capacity: int | None = None
    description: str | None = None


def clean_title(text: str) -> str:
    value = short_text(text, limit=MAX_TITLE)
    if len(value) < 5:
        raise FieldError("club.error.title_short")
    return value


def clean_place(text: str) -> str:
    return short_text(text, limit=MAX_PLACE)


def clean_description(text: str) -> str:
    return long_text(text, limit=MAX_DESCRIPTION)


def clean_capacity(text: str) -> int:
    value = text.strip().replace(" ", "")
    if not plain_digits(value) or len(value) > 5:
        raise FieldError("club.error.capacity")
    number = int(value)
    if not 1 <= number <= MAX_CAPACITY:
        raise FieldError("club.error.capacity")
    return number


@dataclass(frozen=True)
class Card:
    event_id: int
    title: str
    kind: ClubEventKind
    starts_at: dt.datetime
    zone: str
    place: str | None
    audience: ClubAudience
    capacity: int | None
    description: str | None
    status: ClubEventStatus
    school_id: int | None
    going: int
    waiting: int
    mine: RsvpStatus | None  # the viewer's answer
    position: int | None  # the viewer's place in the waiting list
    organiser: bool  # the viewer runs it
    started: bool
    attended: int = 0
    materials: int = 0


async def create(
    session: AsyncSession,
    actor: Actor,
    draft: Draft,
    now: dt.datetime,
    *,
    place: tuple[int, int] | None = None,
) -> int:
    """A new draft event; ``place``: the (municipality, school) the person chose among
    several (school 0: the municipality's club), checked again here."""
    if place is None:
        where = await organising(session, actor)
    else:
        where = await organising_at(session, actor, *place)
    if draft.starts_at <= now:
        raise DomainError("club.error.past")
    event = ClubEvent(
        municipality_id=where.municipality_id,
        school_id=where.school_id,
        title=draft.title,
        kind=draft.kind,
        starts_at=draft.starts_at,
        place=draft.place,
        audience=draft.audience,
        capacity=draft.capacity,
        description=draft.description,
        status=ClubEventStatus.DRAFT,
        created_by_id=actor.participant_id,
        created_at=now,
    )
    session.add(event)
    await session.flush()
    audit.record(
        session,
        now,
        "club.event_added",
        actor_id=actor.participant_id,
        object_type="club_event",
        object_id=event.id,
    )
    await session.commit()
    return event.id


async def update(
    session: AsyncSession, actor: Actor, event_id: int, draft: Draft, now: dt.datetime
) -> bool:
    """Change an event; True when people who come were told (it was published and
    something they care about changed)."""
    event = await event_to_organise(session, actor, event_id, lock=True)
    if event.status == ClubEventStatus.CANCELLED:
        raise DomainError("club.error.cancelled")
    if draft.starts_at != event.starts_at and draft.starts_at <= now:
        raise DomainError("club.error.past")
    noticed = (
        event.starts_at != draft.starts_at
        or event.place != draft.place
        or event.title != draft.title
    )
    event.title = draft.title
    event.kind = draft.kind
    event.starts_at = draft.starts_at
    event.place = draft.place
    event.audience = draft.audience
    event.capacity = draft.capacity
    event.description = draft.description
    told = False
    if noticed and event.status == ClubEventStatus.PUBLISHED:
        event.version += 1
        await publishing.changed(session, event, now)
        told = True
    audit.record(
        session,
        now,
        "club.event_changed",
        actor_id=actor.participant_id,
        object_type="club_event",
        object_id=event.id,
    )
    await session.commit()
    return told


async def cancel(session: AsyncSession, actor: Actor, event_id: int, now: dt.datetime) -> str:
    event = await event_to_organise(session, actor, event_id, lock=True)
    title = event.title
    if event.status == ClubEventStatus.CANCELLED:
        return title  # a second press: nothing more to tell
    was_published = event.status == ClubEventStatus.PUBLISHED
    event.status = ClubEventStatus.CANCELLED
    if was_published:
        await publishing.cancelled(session, event, now)
    audit.record(
        session,
        now,
        "club.event_cancelled",
        actor_id=actor.participant_id,
        object_type="club_event",
        object_id=event.id,
    )
    await session.commit()
    return title


async def draft_of(session: AsyncSession, actor: Actor, event_id: int) -> tuple[Draft, str]:
    event = await event_to_organise(session, actor, event_id)
    if event.status == ClubEventStatus.CANCELLED:
        raise DomainError("club.error.cancelled")
    draft = Draft(
        title=event.title,
        kind=event.kind,
        starts_at=event.starts_at,
        audience=event.audience,
        place=event.place,
        capacity=event.capacity,
        description=event.description,
    )
    return draft, await zone_of(session, event)


async def coming(session: AsyncSession, actor: Actor, now: dt.datetime) -> list[Card]:
    """Coming events the person may see (published, for their audience), and for an
    organiser also their drafts; soonest first, at most 20."""
    municipality_ids: set[int] = set(
        actor.coordinator_municipality_ids | actor.club_municipality_ids
    )
    own_school = None
    if actor.school_id is not None:
        school = await session.get(School, actor.school_id)
        if school is not None:
            municipality_ids.add(school.municipality_id)
            own_school = school.id
    for school_id in actor.curator_school_ids:
        school = await session.get(School, school_id)
        if school is not None:
            municipality_ids.add(school.municipality_id)
    stmt = (
        select(ClubEvent)
        .where(ClubEvent.starts_at > now - dt.timedelta(hours=12))
        .where(ClubEvent.status != ClubEventStatus.CANCELLED)
        .order_by(ClubEvent.starts_at, ClubEvent.id)
        .limit(100)
    )
    if not actor.is_admin:
        stmt = stmt.where(ClubEvent.municipality_id.in_(municipality_ids))
        stmt = stmt.where(
            or_(
                ClubEvent.school_id.is_(None),
                ClubEvent.school_id == own_school,
                ClubEvent.school_id.in_(actor.curator_school_ids),
            )
        )
    cards: list[Card] = []
    for event in await session.scalars(stmt):
        organiser = may_organise(actor, event.municipality_id, event.school_id)
        if not organiser:
            if event.status != ClubEventStatus.PUBLISHED or actor.participant_id is None:
                continue
            if not await audience.is_for(session, event, actor.participant_id):
                continue
        cards.append(await _card(session, actor, event, now, organiser))
        if len(cards) >= 20:
            break
    return cards


async def card_of(session: AsyncSession, actor: Actor, event_id: int, now: dt.datetime) -> Card:
    event = await session.get(ClubEvent, event_id, populate_existing=True)
    if event is None:
        raise NotFound()
    organiser = may_organise(actor, event.municipality_id, event.school_id)
    if not organiser and not await may_see(session, actor, event):
        raise NotFound()
    return await _card(session, actor, event, now, organiser)


async def may_see(session: AsyncSession, actor: Actor, event: ClubEvent) -> bool:
    if event.status == ClubEventStatus.DRAFT or actor.participant_id is None:
        return False
    if await audience.is_for(session, event, actor.participant_id):
        return True
    # Someone who answered keeps the card (a changed audience, a cancelled event).
    answered = await session.scalar(
        select(ClubRsvp.id).where(
            ClubRsvp.event_id == event.id, ClubRsvp.participant_id == actor.participant_id
        )
    )
    return answered is not None


async def _card(
    session: AsyncSession, actor: Actor, event: ClubEvent, now: dt.datetime, organiser: bool
) -> Card:
    counts = dict(
        (
            await session.execute(
                select(ClubRsvp.status, func.count())
                .where(ClubRsvp.event_id == event.id)
                .group_by(ClubRsvp.status)
            )
        ).all()
    )
    mine = None
    position = None
    if actor.participant_id is not None:
        rsvp = await session.scalar(
            select(ClubRsvp).where(
                ClubRsvp.event_id == event.id, ClubRsvp.participant_id == actor.participant_id
            )
        )
        if rsvp is not None:
            mine = rsvp.status
            if rsvp.status == RsvpStatus.WAITING:
                position = await waiting_position(session, rsvp)
    attended = 0
    if organiser:
        attended = int(
            await session.scalar(
                select(func.count())
                .select_from(ClubAttendance)
                .where(ClubAttendance.event_id == event.id)
            )
            or 0
        )
    materials = int(
        await session.scalar(
            select(func.count()).select_from(ClubMaterial).where(ClubMaterial.event_id == event.id)
        )
        or 0
    )
    return Card(
        materials=materials,
        event_id=event.id,
        title=event.title,
        kind=event.kind,
        starts_at=event.starts_at,
        zone=await zone_of(session, event),
        place=event.place,
        audience=event.audience,
        capacity=event.capacity,
        description=event.description,
        status=event.status,
        school_id=event.school_id,
        going=int(counts.get(RsvpStatus.GOING, 0)),
        waiting=int(counts.get(RsvpStatus.WAITING, 0)),
        mine=mine,
        position=position,
        organiser=organiser,
        started=event.starts_at <= now,
        attended=attended,
    )


async def waiting_position(session: AsyncSession, rsvp: ClubRsvp) -> int:
    ahead = await session.scalar(
        select(func.count())
        .select_from(ClubRsvp)
        .where(ClubRsvp.event_id == rsvp.event_id, ClubRsvp.status == RsvpStatus.WAITING)
        .where(
            or_(
                ClubRsvp.queued_at < rsvp.queued_at,
                (ClubRsvp.queued_at == rsvp.queued_at) & (ClubRsvp.id < rsvp.id),
            )
        )
    )
    return int(ahead or 0) + 1


async def names_going(session: AsyncSession, actor: Actor, event_id: int) -> list[str]:
    """For the organiser: who said they would come."""
    await event_to_organise(session, actor, event_id)
    rows = await session.scalars(
        select(Participant.full_name)
        .join(ClubRsvp, ClubRsvp.participant_id == Participant.id)
        .where(ClubRsvp.event_id == event_id, ClubRsvp.status == RsvpStatus.GOING)
        .order_by(Participant.full_name)
    )
    return [n or "—" for n in rows]
