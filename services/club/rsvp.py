"""«✅ Приду» / «Не смогу»: one answer per person and event. A full event puts the person
in the waiting list; when someone who was coming cancels, the first in line gets the
place and is told through the outbox. The event row is locked while places are
counted, so two last-place presses at once never both get it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEvent, ClubEventStatus, ClubRsvp, Participant, RsvpStatus
from services import outbox
from services.access import Actor
from services.club import audience
from services.club.events import waiting_position
from services.club.publishing import Due
from services.club.scope import may_organise, zone_of
from services.errors import DomainError, NotFound
from services.outbox import Kind


@dataclass(frozen=True)
class Answer:
    event_id: int
    title: str
    status: RsvpStatus
    position: int | None  # in the waiting list
    changed: bool  # False: the same answer again (a double press)
    starts_at: dt.datetime
    place: str | None
    description: str | None
    version: int
    zone: str


async def _event(session: AsyncSession, actor: Actor, event_id: int) -> ClubEvent:
    event = await session.scalar(
        select(ClubEvent)
        .where(ClubEvent.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if event is None or actor.participant_id is None:
        raise NotFound()
    if event.status == ClubEventStatus.DRAFT:
        raise NotFound()
    allowed = may_organise(actor, event.municipality_id, event.school_id) or (
        await audience.is_for(session, event, actor.participant_id)
    )
    if not allowed:
        raise NotFound()
    if event.status == ClubEventStatus.CANCELLED:
        raise DomainError("club.error.cancelled")
    return event


async def _going(session: AsyncSession, event_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(ClubRsvp)
            .where(ClubRsvp.event_id == event_id, ClubRsvp.status == RsvpStatus.GOING)
        )
        or 0
    )


async def answer(
    session: AsyncSession, actor: Actor, event_id: int, going: bool, now: dt.datetime
) -> Answer:
    event = await _event(session, actor, event_id)
    if event.starts_at <= now:
        raise DomainError("club.error.started")
    assert actor.participant_id is not None
    rsvp = await session.scalar(
        select(ClubRsvp)
        .where(ClubRsvp.event_id == event.id, ClubRsvp.participant_id == actor.participant_id)
        .execution_options(populate_existing=True)
    )
    before = rsvp.status if rsvp is not None else None
    status: RsvpStatus
    if going:
        if before is not None and before != RsvpStatus.NOT_GOING:
            status = before
        elif event.capacity is not None and await _going(session, event.id) >= event.capacity:
            status = RsvpStatus.WAITING
        else:
            status = RsvpStatus.GOING
    else:
        status = RsvpStatus.NOT_GOING
    if rsvp is None:
        rsvp = ClubRsvp(
            event_id=event.id,
            participant_id=actor.participant_id,
            status=status,
            queued_at=now,
            updated_at=now,
        )
        session.add(rsvp)
    elif status != before:
        rsvp.status = status
        rsvp.queued_at = now
        rsvp.updated_at = now
    await session.flush()
    if before == RsvpStatus.GOING and status == RsvpStatus.NOT_GOING:
        await _move_up(session, event, now)
    position = None
    if status == RsvpStatus.WAITING:
        position = await waiting_position(session, rsvp)
    result = Answer(
        event_id=event.id,
        title=event.title,
        status=status,
        position=position,
        changed=status != before,
        starts_at=event.starts_at,
        place=event.place,
        description=event.description,
        version=event.version,
        zone=await zone_of(session, event),
    )
    await session.commit()
    return result


async def _move_up(session: AsyncSession, event: ClubEvent, now: dt.datetime) -> None:
    """Give freed places to the first in line, telling each through the outbox."""
    free = None if event.capacity is None else event.capacity - await _going(session, event.id)
    waiting = await session.execute(
        select(ClubRsvp, Participant.school_id)
        .join(Participant, Participant.id == ClubRsvp.participant_id)
        .where(ClubRsvp.event_id == event.id, ClubRsvp.status == RsvpStatus.WAITING)
        .order_by(ClubRsvp.queued_at, ClubRsvp.id)
        .limit(free if free is not None else None)
    )
    due = Due(session, now, await zone_of(session, event))
    for rsvp, school_id in waiting.all():
        if free is not None and free <= 0:
            break
        rsvp.status = RsvpStatus.GOING
        rsvp.updated_at = now
        if free is not None:
            free -= 1
        await outbox.enqueue(
            session,
            recipient_id=rsvp.participant_id,
            kind=Kind.CLUB_PROMOTED,
            # Sooner than an announcement: the place is theirs only if they know.
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:up:{event.id}:{rsvp.participant_id}:{now.isoformat()}",
            payload={"event_id": event.id},
        )
