"""The outbox rows of a meeting: notices to the others in the pair, the reminders and
«Встреча состоялась?», written in the same transaction as the change; and the .ics
sequence those rows carry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, Outbox, Pair
from services import outbox, programmes
from services.clock import SendRules, local_today, next_allowed
from services.meetings.access import members, zone_of
from services.outbox import Kind

REMIND_DAY_BEFORE = dt.timedelta(days=1)
REMIND_HOUR_BEFORE = dt.timedelta(hours=1)
# «Встреча состоялась?» goes to the mentor when the meeting should be over.
ASK_AFTER = dt.timedelta(minutes=60)


async def sequence_of(session: AsyncSession, meeting_id: int) -> int:
    """How many times the meeting's time changed: the .ics SEQUENCE. Each move or
    counter-proposal writes its number into its notices' payloads."""
    payloads = await session.scalars(
        select(Outbox.payload).where(
            Outbox.meeting_id == meeting_id,
            Outbox.kind.in_((Kind.MEETING_MOVED, Kind.MEETING_COUNTER)),
        )
    )
    return max((int(p.get("seq", 0)) for p in payloads), default=0)


async def pair_send_rules(session: AsyncSession, pair: Pair, now: dt.datetime) -> SendRules:
    return await programmes.send_rules(
        session, pair.school_id, local_today(now, await zone_of(session, pair))
    )


async def notify(
    session: AsyncSession,
    meeting: Meeting,
    pair: Pair,
    *,
    kind: str,
    tag: str,
    actor_id: int | None,
    seq: int,
    now: dt.datetime,
    rules: SendRules,
    extra: dict[str, int | bool] | None = None,
) -> None:
    """A notice to everyone in the pair but the person who acted."""
    due = next_allowed(now, rules, days_off_count=False)
    for pid in members(pair):
        if pid == actor_id:
            continue
        await outbox.enqueue(
            session,
            recipient_id=pid,
            kind=kind,
            due_at=due,
            now=now,
            dedupe_key=f"mt:{meeting.id}:{seq}:{tag}:{pid}",
            payload={"meeting_id": meeting.id, "seq": seq, "by": actor_id, **(extra or {})},
            meeting_id=meeting.id,
            pair_id=pair.id,
        )


def reminder_times(
    starts_at: dt.datetime, now: dt.datetime, rules: SendRules
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When the day-before and hour-before reminders go, in UTC (None: not sent).
    Quiet hours move a reminder later; one that would then reach the person only at
    or after the start (or, for the day one, after the hour one) is not written; one
    whose moment has passed already is not written either."""
    hour: dt.datetime | None = None
    day: dt.datetime | None = None
    hour_at = starts_at - REMIND_HOUR_BEFORE
    if hour_at >= now:
        hour = next_allowed(hour_at, rules, days_off_count=False)
        if hour >= starts_at:
            hour = None
    day_at = starts_at - REMIND_DAY_BEFORE
    if day_at >= now:
        day = next_allowed(day_at, rules, days_off_count=False)
        if day >= starts_at or (hour is not None and day >= hour):
            day = None
    return day, hour


async def write_reminders(
    session: AsyncSession,
    meeting: Meeting,
    pair: Pair,
    *,
    seq: int,
    now: dt.datetime,
    rules: SendRules,
) -> None:
    day, hour = reminder_times(meeting.starts_at, now, rules)
    payload = {"meeting_id": meeting.id, "seq": seq}
    for pid in members(pair):
        for kind, tag, due in (
            (Kind.MEETING_REMIND_DAY, "day", day),
            (Kind.MEETING_REMIND_HOUR, "hour", hour),
        ):
            if due is None:
                continue
            await outbox.enqueue(
                session,
                recipient_id=pid,
                kind=kind,
                due_at=due,
                now=now,
                dedupe_key=f"mt:{meeting.id}:{seq}:{tag}:{pid}",
                payload=payload,
                meeting_id=meeting.id,
                pair_id=pair.id,
            )
    await outbox.enqueue(
        session,
        recipient_id=pair.mentor_id,
        kind=Kind.MEETING_DID_IT_HAPPEN,
        due_at=next_allowed(meeting.starts_at + ASK_AFTER, rules, days_off_count=False),
        now=now,
        dedupe_key=f"mt:{meeting.id}:{seq}:happened",
        payload=payload,
        meeting_id=meeting.id,
        pair_id=pair.id,
    )
