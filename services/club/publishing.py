"""What publishing, changing and cancelling an event sends, as outbox rows written in
the caller's transaction: the announcement to the audience (each at the first moment
outside their school's quiet hours), the post to the municipality's club channel, and
changes and cancellations to those who said they would come or wait for a place."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ClubChannel,
    ClubEvent,
    ClubEventStatus,
    ClubRsvp,
    Municipality,
    Participant,
    RsvpStatus,
)
from services import audit, outbox, programmes
from services.access import Actor
from services.clock import SendRules, local_today, next_allowed
from services.club import audience
from services.club.scope import event_to_organise, organising, organising_at, zone_of
from services.errors import DomainError
from services.outbox import Kind


class Due:
    """The first allowed moment per school (quiet hours), computed once a school."""

    def __init__(self, session: AsyncSession, now: dt.datetime, zone: str) -> None:
        self.session = session
        self.now = now
        self.zone = zone
        self._rules: dict[int | None, SendRules] = {}

    async def at(self, school_id: int | None) -> dt.datetime:
        if school_id not in self._rules:
            if school_id is None:
                self._rules[None] = SendRules(zone=self.zone)
            else:
                today = local_today(self.now, self.zone)
                self._rules[school_id] = await programmes.send_rules(self.session, school_id, today)
        # Announcements are no nudges: a weekend is fine, a night is not.
        return next_allowed(self.now, self._rules[school_id], days_off_count=False)


async def publish(session: AsyncSession, actor: Actor, event_id: int, now: dt.datetime) -> int:
    """Publish a draft; returns how many people the announcement will reach. A second
    press changes nothing and queues nothing (the rows' keys are per event and person)."""
    event = await event_to_organise(session, actor, event_id, lock=True)
    if event.status == ClubEventStatus.CANCELLED:
        raise DomainError("club.error.cancelled")
    if event.starts_at <= now:
        raise DomainError("club.error.past")
    first = event.status == ClubEventStatus.DRAFT
    event.status = ClubEventStatus.PUBLISHED
    if event.published_at is None:
        event.published_at = now
    people = await _people_with_schools(session, event)
    due = Due(session, now, await zone_of(session, event))
    for participant_id, school_id in people:
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.CLUB_ANNOUNCE,
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:ann:{event.id}:{participant_id}",
            payload={"event_id": event.id},
        )
    if first and actor.participant_id is not None:
        await _channel_post(session, event, actor.participant_id, now)
    audit.record(
        session,
        now,
        "club.event_published",
        actor_id=actor.participant_id,
        object_type="club_event",
        object_id=event.id,
    )
    await session.commit()
    return len(people)


async def _people_with_schools(
    session: AsyncSession, event: ClubEvent
) -> list[tuple[int, int | None]]:
    ids = audience.people_query(event.audience, event.municipality_id, event.school_id)
    rows = await session.execute(
        select(Participant.id, Participant.school_id).where(Participant.id.in_(ids))
    )
    return [(pid, school_id) for pid, school_id in rows.all()]


async def _channel_post(
    session: AsyncSession, event: ClubEvent, organiser_id: int, now: dt.datetime
) -> None:
    if event.school_id is not None:
        return  # a school's own event is not the municipal club's news
    channel = await session.get(ClubChannel, event.municipality_id)
    if channel is None:
        return
    await outbox.enqueue(
        session,
        recipient_id=organiser_id,
        kind=Kind.CLUB_CHANNEL_POST,
        due_at=now,
        now=now,
        dedupe_key=f"club:chan:{event.id}",
        payload={"event_id": event.id, "chat_id": channel.chat_id},
    )


async def _answered(session: AsyncSession, event_id: int) -> list[tuple[int, int | None]]:
    rows = await session.execute(
        select(ClubRsvp.participant_id, Participant.school_id)
        .join(Participant, Participant.id == ClubRsvp.participant_id)
        .where(
            ClubRsvp.event_id == event_id,
            ClubRsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITING)),
        )
    )
    return [(pid, school_id) for pid, school_id in rows.all()]


async def changed(session: AsyncSession, event: ClubEvent, now: dt.datetime) -> None:
    """The date, time, place or title changed: those coming and waiting are told."""
    due = Due(session, now, await zone_of(session, event))
    for participant_id, school_id in await _answered(session, event.id):
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.CLUB_CHANGED,
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:chg:{event.id}:{event.version}:{participant_id}",
            payload={"event_id": event.id, "version": event.version},
        )


async def cancelled(session: AsyncSession, event: ClubEvent, now: dt.datetime) -> None:
    due = Due(session, now, await zone_of(session, event))
    for participant_id, school_id in await _answered(session, event.id):
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.CLUB_CANCELLED,
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:cxl:{event.id}:{participant_id}",
            payload={"event_id": event.id},
        )


async def set_channel(
    session: AsyncSession,
    actor: Actor,
    chat_id: int,
    now: dt.datetime,
    municipality_id: int | None = None,
) -> str:
    """Set (or replace) the club channel of the organiser's municipality, or of the one
    chosen (an id from a button: checked); returns the municipality's name."""
    if municipality_id is not None:
        where = await organising_at(session, actor, municipality_id, 0)
    else:
        where = await organising(session, actor)
    if where.school_id is not None:
        raise DomainError("club.error.channel_municipal")
    channel = await session.get(ClubChannel, where.municipality_id)
    if channel is None:
        channel = ClubChannel(municipality_id=where.municipality_id, chat_id=chat_id)
        session.add(channel)
    channel.chat_id = chat_id
    channel.set_by_id = actor.participant_id
    channel.updated_at = now
    mun = await session.get(Municipality, where.municipality_id)
    assert mun is not None
    name = mun.name
    await session.commit()
    return name


async def repost(session: AsyncSession, actor: Actor, event_id: int, now: dt.datetime) -> None:
    """The channel post again (the bot was made an admin meanwhile)."""
    event = await event_to_organise(session, actor, event_id)
    if event.status != ClubEventStatus.PUBLISHED:
        raise DomainError("club.error.not_published")
    channel = await session.get(ClubChannel, event.municipality_id)
    if channel is None or actor.participant_id is None:
        raise DomainError("club.error.no_channel")
    await outbox.enqueue(
        session,
        recipient_id=actor.participant_id,
        kind=Kind.CLUB_CHANNEL_POST,
        due_at=now,
        now=now,
        dedupe_key=f"club:chan:{event.id}:{now.strftime('%Y%m%d%H%M%S')}",
        payload={"event_id": event.id, "chat_id": channel.chat_id},
    )
    await session.commit()
