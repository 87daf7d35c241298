"""Direct messages to other people (curators, the person approved). Used after the
use case has committed; a person who blocked the bot must not break the use case."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup

log = logging.getLogger(__name__)


async def send(
    bot: Bot, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> bool:
    try:
        await bot.send_message(chat_id, text, reply_markup=reply_markup)
    except TelegramForbiddenError:
        log.info("recipient has blocked the bot")
        return False
    except TelegramAPIError as exc:
        log.warning("notification failed: %s", type(exc).__name__)
        return False
    return True
