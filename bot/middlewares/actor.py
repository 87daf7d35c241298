from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from services import identity


class ActorMiddleware(BaseMiddleware):
    """Loads who is behind the update, in one query (services.identity): ``actor``
    (id, status, roles and scopes) and ``consent_asked_version``. Not the participant:
    a handler that needs the whole person loads it through a service. Admins come from
    settings."""

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
        found = await identity.load(data["session"], user.id, is_admin=user.id in self.admin_ids)
        data["actor"] = found.actor
        data["consent_asked_version"] = found.consent_asked_version
        return await handler(event, data)
