"""Pressing the same page or goal button twice edits a message into what it already
is, and Telegram answers 400 «message is not modified». Nothing went wrong for the
person, so it is treated as success here, for every edit, instead of in each handler."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Chat, Message

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
                unchanged: Any = _unchanged(method)
                return unchanged  # type: ignore[no-any-return]
            raise


def _unchanged(method: EditMessageText | EditMessageReplyMarkup | EditMessageCaption) -> Any:
    """What Telegram answers to an edit that did happen: the message as it now is (an
    inline message: True). A request middleware passes on that result itself, not a
    Response; aiogram-dialog reads it as the Message it keeps showing."""
    if method.chat_id is None or method.message_id is None:
        return True
    text = method.text if isinstance(method, EditMessageText) else None
    caption = method.caption if isinstance(method, EditMessageCaption) else None
    return Message(
        message_id=method.message_id,
        date=dt.datetime.now(dt.UTC),
        chat=Chat(id=int(method.chat_id), type=ChatType.PRIVATE),  # private chats only
        text=text,
        caption=caption,
        reply_markup=method.reply_markup,
    )
