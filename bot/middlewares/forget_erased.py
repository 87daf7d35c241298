"""After an update that erased its sender (consent withdrawn), forget their FSM records.

It wraps the whole update, so it runs after aiogram-dialog has saved its stack and
context for this event: deleting them inside the handler would be undone by that save."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession

from bot import fsm_forget
from services import erasure
from services.access import Actor


class ForgetErasedMiddleware(BaseMiddleware):
    def __init__(self, storage: BaseStorage) -> None:
        self.storage = storage

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        result = await handler(event, data)
        actor: Actor | None = data.get("actor")
        user: User | None = data.get("event_from_user")
        bot: Bot | None = data.get("bot")
        session: AsyncSession | None = data.get("session")
        if (
            actor is not None
            and actor.participant_id is not None
            and user is not None
            and bot is not None
            and session is not None
            and actor.participant_id in erasure.erased_in(session)
        ):
            await fsm_forget.forget(self.storage, bot.id, user.id)
        return result
