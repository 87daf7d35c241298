"""After an update that erased its sender (consent withdrawn), forget their FSM records.

It wraps the whole update, so it runs after aiogram-dialog has saved its stack and
context for this event: deleting them inside the handler would be undone by that save."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import TelegramObject, User
from sqlalchemy import inspect

from bot import fsm_forget
from models import Participant


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
        me: Participant | None = data.get("me")
        user: User | None = data.get("event_from_user")
        bot: Bot | None = data.get("bot")
        # Read without a refresh: a handler that rolled back expired `me`, and an
        # expired attribute cannot be loaded here (and an erasure commits, it keeps it).
        erased = me is not None and inspect(me).dict.get("erased_at") is not None
        if erased and user is not None and bot is not None:
            await fsm_forget.forget(self.storage, bot.id, user.id)
        return result
