"""Pressing the same page or goal button twice edits a message into what it already
is, and Telegram answers 400 «message is not modified». Nothing went wrong for the
person, so it is treated as success here, for every edit, instead of in each handler."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

EDITS = (EditMessageText, EditMessageReplyMarkup, EditMessageCaption)


class IgnoreNotModified(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as exc:
            if isinstance(method, EDITS) and "message is not modified" in exc.message:
                # The edit methods' result may be True (as for inline messages). What a
                # request middleware passes on is the result itself, not a Response
                # (whatever the annotation says): aiogram-dialog reads it as a Message.
                unchanged: Any = True
                return unchanged  # type: ignore[no-any-return]
            raise
