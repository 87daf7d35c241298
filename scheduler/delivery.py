"""Flushing the outbox at once: what tests (the `deliver` fixture) and one-off tools use.
The same Sender as the scheduler's, without pacing (the fake Bot API needs none)."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.sender import Sender, send_notice
from services.clock import Clock

__all__ = ["deliver_due", "send_notice"]


async def deliver_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    clock: Clock,
    *,
    limit: int = 500,
    admin_ids: Iterable[int] = (),
    panel_url: str | None = None,
) -> int:
    """Send every pending row due by now (up to `limit`); returns how many were sent."""
    sender = Sender(
        sessionmaker,
        bot,
        i18n,
        clock,
        rate=None,
        per_chat_interval=0,
        transient_pause=0,
        admin_ids=admin_ids,
        panel_url=panel_url,
    )
    report = await sender.run_once(limit=limit)
    return report.sent
