"""Keep aiogram's parsed response classes alive.

aiogram parses every answer from Telegram with ``Response[method.__returning__]``, a
pydantic generic. pydantic caches such classes in a WeakValueDictionary: as soon as no
answer of that type is alive, the class is collected, and the next request builds it
anew (schema, validator: 10-20 ms of CPU). Under load that happened on about a third of
all requests (bench.open_loop's profile: 317 rebuilds in 910 requests, 6 ms a request on
average). Holding each class once it has been built makes it a dictionary lookup.

A message the bot sent or edited comes back as a ``SentMessage``: the same Message, with
its inline keyboard not validated again button by button from the answer (a pydantic
object and a Python-level post-init per button, 26 of them for the deficit catalogue;
the largest part of parsing an answer). ``JsonSession`` puts back the keyboard the
request carried, which is what Telegram answers with."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Message


class SentMessage(Message):
    """A Message whose ``reply_markup`` is left as it came (a dict) by validation, for
    JsonSession.parse to replace with a keyboard object."""

    reply_markup: Any = None


# Returning types answered with SentMessage in place of Message.
_LEAN: dict[Any, Any] = {Message: SentMessage, Message | bool: SentMessage | bool}
_HELD: dict[Any, type] = {}


def held(returning: Any) -> Any:
    """``Response[returning]``, built once (with SentMessage for Message)."""
    found = _HELD.get(returning)
    if found is None:
        lean: Any = _LEAN.get(returning, returning)
        found = _HELD[returning] = Response[lean]
    return found


class HoldResponseTypes(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        held(method.__returning__)
        return await make_request(bot, method)
