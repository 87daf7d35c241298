"""Telegram refuses messages over 4096 characters. This request middleware sends a long
sendMessage as several, split at line breaks (our HTML never spans lines, so tags stay
balanced); the keyboard goes with the last part, where the person's eyes end up."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import Response, TelegramType

LIMIT = 4096


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Parts of at most ``limit`` characters, cut at the last line break that fits
    (a single line longer than the limit is cut hard)."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n")
    parts.append(rest)
    return [p for p in parts if p] or [""]


class SplitLongMessages(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not isinstance(method, SendMessage) or len(method.text) <= LIMIT:
            return await make_request(bot, method)
        parts = split_text(method.text)
        for part in parts[:-1]:
            head: Any = method.model_copy(update={"text": part, "reply_markup": None})
            await make_request(bot, head)
        last: Any = method.model_copy(update={"text": parts[-1]})
        return await make_request(bot, last)
