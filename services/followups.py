"""One question at a time after a held meeting. Each person is asked in order: the
topic (the mentor who logged it, in the chat), «подходит ли вам пара?» (after the trial
meeting), then the feedback request. Each later question waits in the outbox until the
one before is answered (``release_next``), or at most ``WAIT`` each, so a question left
unanswered does not hold the rest back for good."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, OutboxStatus
from services.outbox import Kind

WAIT = dt.timedelta(minutes=30)
ORDER = (Kind.FIT_QUESTION, Kind.FEEDBACK_REQUEST)


def due_after(steps_before: int, at: dt.datetime) -> dt.datetime:
    """When a question with ``steps_before`` questions ahead of it goes if none of them
    is answered."""
    return at + steps_before * WAIT


async def release_next(
    session: AsyncSession, participant_id: int | None, pair_id: int, now: dt.datetime
) -> bool:
    """The person answered a question about the pair: their next waiting one goes now.
    The caller commits."""
    if participant_id is None:
        return False
    waiting = list(
        await session.scalars(
            select(Outbox).where(
                Outbox.recipient_id == participant_id,
                Outbox.pair_id == pair_id,
                Outbox.kind.in_(ORDER),
                Outbox.status == OutboxStatus.PENDING,
                Outbox.due_at > now,
            )
        )
    )
    if not waiting:
        return False
    nxt = min(waiting, key=lambda row: (ORDER.index(row.kind), row.due_at, row.id))
    nxt.due_at = now
    return True
