"""Ending a pair early, pausing it and lifting the pause."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, Meeting, MeetingStatus, Outbox, OutboxStatus, Pair, PairStatus
from services import audit, outbox, programmes
from services.access import Actor
from services.clock import Clock, local_today, next_allowed
from services.errors import DomainError
from services.outbox import Kind
from services.pairs.loading import pair_in_scope
from services.pairs.parsing import MAX_PAUSE_DAYS

NUDGE_KINDS = (Kind.PAIR_SILENT, Kind.PAIR_SILENT_CURATOR, Kind.PAIR_STUCK_CURATOR)


def _live_or_refuse(pair: Pair) -> None:
    if pair.status not in LIVE_PAIR:
        raise DomainError("pairs.closed")


async def close(
    session: AsyncSession,
    pair: Pair,
    reason: str,
    now: dt.datetime,
    actor_id: int | None,
    zone: str,
) -> None:
    """End a live pair in the caller's transaction (the caller commits)."""
    pair.status = PairStatus.ENDED
    pair.ended_at = now
    pair.end_reason = reason
    pair.paused_until = None
    upcoming = await session.scalars(
        select(Meeting).where(
            Meeting.pair_id == pair.id,
            Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]),
        )
    )
    for meeting in upcoming:
        meeting.status = MeetingStatus.CANCELLED
        await outbox.cancel_for_meeting(session, meeting.id)
    await outbox.cancel_for_pair(session, pair.id)
    rules = await programmes.send_rules(session, pair.school_id, local_today(now, zone))
    due = next_allowed(now, rules, days_off_count=False)
    for recipient in [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]:
        await outbox.enqueue(
            session,
            recipient_id=recipient,
            kind=Kind.PAIR_ENDED,
            due_at=due,
            now=now,
            dedupe_key=f"pair.ended:{pair.id}:{recipient}",
            payload={"pair_id": pair.id},
            pair_id=pair.id,
        )
    audit.record(
        session,
        now,
        "pair.ended",
        actor_id=actor_id,
        object_type="pair",
        object_id=pair.id,
    )


def pause_options(today: dt.date) -> list[tuple[int, dt.date]]:
    return [(weeks, today + dt.timedelta(weeks=weeks)) for weeks in (1, 2, 4)]


async def pause(
    session: AsyncSession, actor: Actor, pair_id: int, until: dt.date, clock: Clock
) -> dt.date:
    """Pause a pair until a date (nudges wait; they resume on that date)."""
    now = clock.now()
    loaded = await pair_in_scope(session, actor, pair_id)
    pair = loaded.pair
    _live_or_refuse(pair)
    today = local_today(now, loaded.zone)
    if until <= today:
        raise DomainError("pairs.pause.past")
    if until > today + dt.timedelta(days=MAX_PAUSE_DAYS):
        raise DomainError("pairs.pause.too_far", days=MAX_PAUSE_DAYS)
    pair.status = PairStatus.PAUSED
    pair.paused_until = until
    await session.execute(
        update(Outbox)
        .where(
            Outbox.pair_id == pair.id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.kind.in_(NUDGE_KINDS),
        )
        .values(status=OutboxStatus.CANCELLED)
    )
    audit.record(
        session,
        now,
        "pair.paused",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()
    return until


async def resume(session: AsyncSession, actor: Actor, pair_id: int, clock: Clock) -> None:
    """Lift a pause now. paused_until keeps today's date: the silence and stage clocks
    restart from it, so a pair back from a pause is not «застой» at once."""
    now = clock.now()
    loaded = await pair_in_scope(session, actor, pair_id)
    pair = loaded.pair
    if pair.status != PairStatus.PAUSED:
        raise DomainError("pairs.not_paused")
    pair.status = PairStatus.ACTIVE
    pair.paused_until = local_today(now, loaded.zone)
    audit.record(
        session,
        now,
        "pair.resumed",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()
