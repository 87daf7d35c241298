"""The person behind a panel request: the same Actor, with the same scopes, as in the
chat (a curator's schools, a coordinator's municipality, an admin from settings)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from services.access import Actor
from services.participants import find_live


async def actor_of(session: AsyncSession, telegram_id: int, admin_ids: Collection[int]) -> Actor:
    me = await find_live(session, telegram_id)
    return Actor.of(telegram_id, me, is_admin=telegram_id in admin_ids)
