from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from services import identity


class ActorMiddleware(BaseMiddleware):
    """Loads who is behind the update, in one query (services.identity): ``actor``
    (id, status, roles and scopes) and ``consent_asked_version``. Not the participant:
    a handler that needs the whole person loads it through a service. Admins come from
    settings. This is the update's first query: the one that finds a connection
    PostgreSQL dropped (models.db has no pre-ping), and tries again."""

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
        session: AsyncSession = data["session"]
        is_admin = user.id in self.admin_ids
        try:
            found = await identity.load(session, user.id, is_admin=is_admin)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # PostgreSQL dropped the pooled connection (a restart): the pool has now let
            # go of every connection as old as this one, so once more on a fresh one.
            await session.rollback()
            found = await identity.load(session, user.id, is_admin=is_admin)
        data["actor"] = found.actor
        data["consent_asked_version"] = found.consent_asked_version
        return await handler(event, data)
