"""Sending due outbox rows. This first version sends them one by one; the rate-limited
sender (token bucket, per-chat pacing, retry_after, 403, backoff) builds on it."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui.notices import Notice, renderers
from models import Outbox, OutboxStatus, Participant
from services.clock import Clock

log = logging.getLogger(__name__)


async def deliver_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    clock: Clock,
    *,
    limit: int = 500,
) -> int:
    """Send every pending row due by now; returns how many were sent."""
    table = renderers()
    sent = 0
    with i18n.context():
        for _ in range(limit):
            async with sessionmaker() as session:
                row = await session.scalar(
                    select(Outbox)
                    .where(Outbox.status == OutboxStatus.PENDING, Outbox.due_at <= clock.now())
                    .order_by(Outbox.due_at, Outbox.id)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                )
                if row is None:
                    break
                recipient = await session.get(Participant, row.recipient_id)
                render = table.get(row.kind)
                notice = await render(session, row) if render and recipient else None
                if recipient is None or recipient.telegram_id is None or notice is None:
                    row.status = OutboxStatus.CANCELLED
                    await session.commit()
                    continue
                await send_notice(bot, recipient.telegram_id, notice)
                row.status = OutboxStatus.SENT
                row.sent_at = clock.now()
                row.attempts += 1
                await session.commit()
                sent += 1
    return sent


async def send_notice(bot: Bot, chat_id: int, notice: Notice) -> None:
    if notice.document is not None:
        filename, content = notice.document
        await bot.send_document(
            chat_id,
            BufferedInputFile(content, filename=filename),
            caption=notice.text or None,
            reply_markup=notice.reply_markup,
        )
    else:
        await bot.send_message(chat_id, notice.text, reply_markup=notice.reply_markup)
