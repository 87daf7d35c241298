from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from services.access import Actor
from services.participants import find_live


class ActorMiddleware(BaseMiddleware):
    """Loads the person behind the update once: ``me`` (Participant or None) and
    ``actor`` (their roles and scopes). Admins come from settings."""

    def __init__(self, admin_ids: list[int]) -> None:
        self.admin_ids = frozenset(admin_ids)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        me = await find_live(data["session"], user.id)
        data["me"] = me
        data["actor"] = Actor.of(user.id, me, is_admin=user.id in self.admin_ids)
        return await handler(event, data)
