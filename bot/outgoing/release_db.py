"""No database connection is held while the bot waits for Telegram.

The update's AsyncSession (bot.middlewares.db) is made known here for the length of
the update. Before any request to Telegram made while handling it, a transaction that
only read is ended (a COMMIT of nothing), which hands its connection back to the pool;
with expire_on_commit=False the objects it loaded stay usable, and any later query
takes a connection anew. A transaction that wrote is left alone, neither committed nor
rolled back: that is the use case's to decide (the handler broke the rule "commit,
then reply"; logged at debug). Without this, 15 people whose replies Telegram is slow
to accept would hold the whole pool (5 + 10), and everybody else would wait for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import holds_writes

log = logging.getLogger(__name__)


@dataclass
class _Slot:
    session: AsyncSession | None


_update_session: ContextVar[_Slot | None] = ContextVar("update_session", default=None)


@contextmanager
def update_session(session: AsyncSession) -> Iterator[None]:
    """The session of the update being handled, for the requests made meanwhile."""
    slot = _Slot(session)
    token = _update_session.set(slot)
    try:
        yield
    finally:
        # A task the handler started keeps a copy of the context: empty the slot, so a
        # request it makes after the update ended never touches a closed session.
        slot.session = None
        _update_session.reset(token)


async def release_read_transaction() -> None:
    """End the update's transaction if it only read; leave one that wrote."""
    slot = _update_session.get()
    session = slot.session if slot is not None else None
    if session is None or not session.in_transaction():
        return
    if holds_writes(session):
        log.debug("a request to Telegram while the update's transaction holds writes")
        return
    await session.commit()


class ReleaseDbConnection(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        await release_read_transaction()
        return await make_request(bot, method)
