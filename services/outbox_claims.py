"""The sender's side of the outbox: claiming due rows and recording what became of them.

A batch is claimed in a committed step that writes a lease (claimed_by, claimed_until),
so a second sender skips those rows, and a sender killed mid-batch leaves them claimed
only until the lease runs out. On PostgreSQL the claim query also takes the rows
``FOR UPDATE SKIP LOCKED``, so two claims running at the same moment never wait for or
pick the same rows; the UPDATE repeats the conditions, which alone suffices on SQLite
(one writer at a time).

A claim takes at most one row per recipient (their earliest) and none for a recipient
whose rows another live batch holds: a person's messages go out in order, and a chat
that must wait for its per-chat pause never fills a batch that other chats could use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, OutboxStatus, Participant, ParticipantStatus
from services import outbox


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient_id: int
    attempts: int


async def claim_due(
    session: AsyncSession,
    *,
    now: dt.datetime,
    holder: str,
    lease: dt.timedelta,
    limit: int,
) -> list[Claimed]:
    """Claim up to `limit` due rows for `holder` until now + lease; commits."""
    due = and_(Outbox.status == OutboxStatus.PENDING, Outbox.due_at <= now)
    free = or_(Outbox.claimed_until.is_(None), Outbox.claimed_until <= now)
    busy = select(Outbox.recipient_id).where(
        Outbox.status == OutboxStatus.PENDING, Outbox.claimed_until > now
    )
    ranked = (
        select(
            Outbox.id,
            func.row_number()
            .over(partition_by=Outbox.recipient_id, order_by=(Outbox.due_at, Outbox.id))
            .label("rn"),
        )
        .where(due, Outbox.recipient_id.not_in(busy))
        .subquery()
    )
    pick = (
        select(Outbox.id)
        .where(Outbox.id.in_(select(ranked.c.id).where(ranked.c.rn == 1)), due, free)
        .order_by(Outbox.due_at, Outbox.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(await session.scalars(pick))
    if not ids:
        await session.rollback()
        return []
    await session.execute(
        update(Outbox)
        .where(Outbox.id.in_(ids), due, free)
        .values(claimed_by=holder, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    rows = await session.execute(
        select(Outbox.id, Outbox.recipient_id, Outbox.attempts)
        .where(Outbox.id.in_(ids), Outbox.claimed_by == holder)
        .order_by(Outbox.due_at, Outbox.id)
    )
    claimed = [Claimed(r.id, r.recipient_id, r.attempts) for r in rows]
    await session.commit()
    return claimed


async def release(session: AsyncSession, ids: list[int], holder: str) -> None:
    """Give back rows of a batch that were not tried (stopped, or the lease ran short)."""
    if ids:
        await session.execute(
            update(Outbox)
            .where(
                Outbox.id.in_(ids),
                Outbox.claimed_by == holder,
                Outbox.status == OutboxStatus.PENDING,
            )
            .values(claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
    await session.commit()


async def mark_sent(session: AsyncSession, row_id: int, now: dt.datetime) -> None:
    """Recorded whatever the row's state: the message did go out."""
    await _settle(
        session,
        row_id,
        status=OutboxStatus.SENT,
        sent_at=now,
        attempts=Outbox.attempts + 1,
        last_error=None,
    )


async def cancel(session: AsyncSession, row_id: int) -> None:
    """Nothing to send any more (the person is gone, the renderer found it obsolete)."""
    await _settle(session, row_id, OutboxStatus.PENDING, status=OutboxStatus.CANCELLED)


async def fail(session: AsyncSession, row_id: int, error: str) -> None:
    """Give up on the row: an error that trying again cannot fix, or the retry cap."""
    await _settle(
        session,
        row_id,
        OutboxStatus.PENDING,
        status=OutboxStatus.FAILED,
        attempts=Outbox.attempts + 1,
        last_error=error[:200],
    )


async def retry_later(
    session: AsyncSession, row_id: int, holder: str, *, due_at: dt.datetime, error: str
) -> None:
    """A transient failure: the row waits until due_at and counts one more attempt."""
    await session.execute(
        update(Outbox)
        .where(
            Outbox.id == row_id,
            Outbox.claimed_by == holder,
            Outbox.status == OutboxStatus.PENDING,
        )
        .values(
            due_at=due_at,
            attempts=Outbox.attempts + 1,
            last_error=error[:200],
            claimed_by=None,
            claimed_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def recipient_blocked(session: AsyncSession, row_id: int, participant_id: int) -> None:
    """Telegram said the person blocked the bot: mark them and cancel all their rows."""
    await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(
            last_error="TelegramForbiddenError",
            attempts=Outbox.attempts + 1,
            claimed_by=None,
            claimed_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Participant)
        .where(Participant.id == participant_id)
        .values(blocked_bot=True)
        .execution_options(synchronize_session=False)
    )
    await outbox.cancel_for_recipient(session, participant_id)
    await forget_declined(session, row_id)
    await session.commit()


async def forget_declined(session: AsyncSession, row_id: int) -> None:
    """A declined newcomer keeps their Telegram id only to be told of the decision: once
    no row to them is pending (delivered, cancelled or failed), it is blanked too."""
    recipient = select(Outbox.recipient_id).where(Outbox.id == row_id).scalar_subquery()
    pending = exists().where(
        Outbox.recipient_id == Participant.id, Outbox.status == OutboxStatus.PENDING
    )
    await session.execute(
        update(Participant)
        .where(
            Participant.id == recipient,
            Participant.status == ParticipantStatus.DECLINED,
            Participant.telegram_id.is_not(None),
            ~pending,
        )
        .values(telegram_id=None)
        .execution_options(synchronize_session=False)
    )


async def recipient_reachable(session: AsyncSession, participant_id: int) -> None:
    """A message got through to someone marked as having blocked the bot: they unblocked it.
    The caller commits (with the row it just sent)."""
    await session.execute(
        update(Participant)
        .where(Participant.id == participant_id, Participant.blocked_bot.is_(True))
        .values(blocked_bot=False)
        .execution_options(synchronize_session=False)
    )


async def _settle(
    session: AsyncSession,
    row_id: int,
    only_if: OutboxStatus | None = None,
    **values: object,
) -> None:
    stmt = update(Outbox).where(Outbox.id == row_id)
    if only_if is not None:
        stmt = stmt.where(Outbox.status == only_if)
    await session.execute(
        stmt.values(claimed_by=None, claimed_until=None, **values).execution_options(
            synchronize_session=False
        )
    )
    await forget_declined(session, row_id)
    await session.commit()
