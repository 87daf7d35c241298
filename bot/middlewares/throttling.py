from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User

from bot.i18n import t


class ThrottlingMiddleware(BaseMiddleware):
    """A token bucket per user: a burst of ``burst`` updates, refilled at ``rate``/s.

    Excess updates are dropped; the person is told once per flood, not per message.
    A rate of 0 turns throttling off. ``monotonic`` is injectable for tests.
    """

    def __init__(
        self, rate: float, burst: int, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.monotonic = monotonic
        self._buckets: dict[int, tuple[float, float, bool]] = {}

    def allow(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, warn): warn is True for the first refused update of a flood."""
        now = self.monotonic()
        tokens, last, warned = self._buckets.get(user_id, (float(self.burst), now, False))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now, False)
            return True, False
        self._buckets[user_id] = (tokens, now, True)
        return False, not warned

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if self.rate <= 0 or user is None:
            return await handler(event, data)
        if len(self._buckets) > 100_000:
            self._buckets.clear()  # bound memory; a reset only forgives a few floods
        allowed, warn = self.allow(user.id)
        if allowed:
            return await handler(event, data)
        if warn and isinstance(event, Update):
            if event.message is not None:
                await event.message.answer(t("throttle.slow_down"))
            elif event.callback_query is not None:
                await event.callback_query.answer(t("throttle.slow_down"))
        return None
