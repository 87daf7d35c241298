"""The fake Bot API in a process of its own, and what the bot sent, seen in the bot's.

With the fake elsewhere, the driver cannot read the fake's messages to find the buttons
a person would press. A request middleware on the bot keeps the same record the fake
keeps (messages by chat and id, their latest text and keyboard, answers to button
presses), from the requests and their answers, in a `Mirror` that the driver's people
read as they would read the fake."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    Response,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup, Message

from tests.fakes.bot_api import BotMessage, FakeBotAPI


class Mirror(FakeBotAPI):
    """Never started: its `messages` and `alerts` are filled by `watch`."""


def _keyboard(method: Any) -> dict[str, Any] | None:
    markup = getattr(method, "reply_markup", None)
    if isinstance(markup, InlineKeyboardMarkup):
        return markup.model_dump(exclude_none=True)
    return None


class _Record(BaseRequestMiddleware):
    def __init__(self, mirror: Mirror) -> None:
        self.mirror = mirror

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        result = await make_request(bot, method)
        messages = self.mirror.messages
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            key = (int(method.chat_id or 0), int(method.message_id or 0))
            old = messages.get(key)
            if old is not None:
                text = (method.text or "") if isinstance(method, EditMessageText) else old.text
                messages[key] = BotMessage(key[0], key[1], text, _keyboard(method))
        elif isinstance(method, DeleteMessage):
            messages.pop((int(method.chat_id), method.message_id), None)
        elif isinstance(method, AnswerCallbackQuery):
            self.mirror.alerts.append(
                (method.callback_query_id, method.text, bool(method.show_alert))
            )
        elif isinstance(result, Message):
            text = result.text or result.caption or ""
            key = (result.chat.id, result.message_id)
            messages[key] = BotMessage(key[0], key[1], text, _keyboard(method))
        return result


def watch(bot: Bot, mirror: Mirror) -> None:
    """Record what `bot` sends into `mirror` (registered last: it sees each part sent)."""
    bot.session.middleware(_Record(mirror))


def start_fake_api() -> tuple[subprocess.Popen[str], str]:
    """`python -m tests.fakes.serve` started; its process and base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.serve"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()
