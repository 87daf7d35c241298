"""Telegram refuses texts over 4096 characters. A long sendMessage goes as several
messages, split at line breaks (our HTML never spans lines, so tags stay balanced); the
keyboard goes with the last part, where the person's eyes end up. An edit that grew too
long (a plan with many goals, a page of suggestions) cannot be split in place: the
message is edited to its first part and the rest follows as new messages."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import EditMessageText, SendMessage, TelegramMethod
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
        if isinstance(method, SendMessage) and len(method.text) > LIMIT:
            return await self._send_in_parts(make_request, bot, method)
        if (
            isinstance(method, EditMessageText)
            and len(method.text or "") > LIMIT
            and method.chat_id is not None
        ):
            return await self._edit_then_send(make_request, bot, method)
        return await make_request(bot, method)

    async def _send_in_parts(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: SendMessage,
    ) -> Response[TelegramType]:
        parts = split_text(method.text)
        for part in parts[:-1]:
            head: Any = method.model_copy(update={"text": part, "reply_markup": None})
            await make_request(bot, head)
        last: Any = method.model_copy(update={"text": parts[-1]})
        return await make_request(bot, last)

    async def _edit_then_send(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: EditMessageText,
    ) -> Response[TelegramType]:
        parts = split_text(method.text or "")
        first: Any = method.model_copy(update={"text": parts[0], "reply_markup": None})
        response = await make_request(bot, first)
        for i, part in enumerate(parts[1:], start=2):
            follow: Any = SendMessage(
                chat_id=method.chat_id,  # type: ignore[arg-type]
                text=part,
                parse_mode=method.parse_mode,
                link_preview_options=method.link_preview_options,
                reply_markup=method.reply_markup if i == len(parts) else None,
            )
            await make_request(bot, follow)
        return response
