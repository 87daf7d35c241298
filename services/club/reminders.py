"""Reminders to those coming: the day before and an hour before, planned by the
scheduler's planning tick as outbox rows. A row's key holds the event, the person and
the start time, so a tick that runs twice adds nothing, and a moved event gets fresh
reminders (the renderer drops the old ones: their start time no longer matches)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEvent, ClubEventStatus, ClubRsvp, Participant, RsvpStatus
from services import outbox
from services.club.publishing import Due
from services.club.scope import zone_of
from services.outbox import Kind

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
# An answer given later than this before the start gets only the hour's reminder.
DAY_REMINDER_LATEST = dt.timedelta(hours=3)


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y%m%d%H%M")


async def plan(session: AsyncSession, now: dt.datetime) -> int:
    """Queue the reminders of events starting within a day and an hour; returns how
    many rows were considered (the outbox keeps each once)."""
    events = list(
        await session.scalars(
            select(ClubEvent).where(
                ClubEvent.status == ClubEventStatus.PUBLISHED,
                ClubEvent.starts_at > now,
                ClubEvent.starts_at <= now + DAY + HOUR,
            )
        )
    )
    count = 0
    for event in events:
        coming = (
            await session.execute(
                select(ClubRsvp.participant_id, Participant.school_id)
                .join(Participant, Participant.id == ClubRsvp.participant_id)
                .where(ClubRsvp.event_id == event.id, ClubRsvp.status == RsvpStatus.GOING)
            )
        ).all()
        if not coming:
            continue
        due = Due(session, now, await zone_of(session, event))
        for participant_id, school_id in coming:
            for kind, before, tag in (
                (Kind.CLUB_REMIND_DAY, DAY, "d"),
                (Kind.CLUB_REMIND_HOUR, HOUR, "h"),
            ):
                at = event.starts_at - before
                if at > now:
                    continue  # not yet: a later tick queues it
                if kind == Kind.CLUB_REMIND_DAY and event.starts_at - now < DAY_REMINDER_LATEST:
                    continue
                due.now = now
                send_at = await due.at(school_id)
                if send_at >= event.starts_at:
                    continue  # quiet hours until the start: too late to remind
                await outbox.enqueue(
                    session,
                    recipient_id=participant_id,
                    kind=kind,
                    due_at=send_at,
                    now=now,
                    dedupe_key=f"club:r{tag}:{event.id}:{participant_id}:{_stamp(event.starts_at)}",
                    payload={"event_id": event.id, "at": _stamp(event.starts_at)},
                )
                count += 1
    await session.commit()
    return count
