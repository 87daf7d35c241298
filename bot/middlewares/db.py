from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outgoing.release_db import update_session


class DbSessionMiddleware(BaseMiddleware):
    """One AsyncSession per update. Services commit their use case; anything left
    uncommitted (an error half-way) is rolled back when the session closes. Requests to
    Telegram made meanwhile first end a transaction that only read (bot.outgoing), so
    no connection is held while Telegram answers. A session that was never used (the
    identity is read outside it; a typed answer lives in the form's state) has nothing
    to close, and closing it would still cost a greenlet switch per update."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        session = self.sessionmaker()
        data["session"] = session
        try:
            with update_session(session):
                return await handler(event, data)
        except BaseException:
            await session.rollback()
            raise
        finally:
            if session.in_transaction() or session.identity_map or session.new:
                await session.close()
