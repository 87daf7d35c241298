"""The buttons that open the panel (a Telegram Mini App): «📊 Панель» under the digest
and as the chat's menu button, for staff, only when WEBAPP_URL is set."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)

from bot.i18n import t
from services.access import Actor

log = logging.getLogger(__name__)


def button(url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t("panel.button"), web_app=WebAppInfo(url=url))


def with_button(
    markup: InlineKeyboardMarkup | None, url: str | None
) -> InlineKeyboardMarkup | None:
    """The markup with «📊 Панель» as its last row (unchanged without a panel URL)."""
    if not url:
        return markup
    rows = list(markup.inline_keyboard) if markup is not None else []
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [button(url)]])


async def set_menu(bot: Bot, chat_id: int, actor: Actor, url: str | None) -> None:
    """The chat's menu button: the panel for staff, Telegram's default for anyone else
    (a role taken away takes the button away). Without a panel URL nothing is touched.
    A failure only costs a stale button, so it is logged."""
    if not url:
        return
    menu = (
        MenuButtonWebApp(text=t("panel.button"), web_app=WebAppInfo(url=url))
        if actor.is_staff
        else MenuButtonDefault()
    )
    try:
        await bot.set_chat_menu_button(chat_id=chat_id, menu_button=menu)
    except TelegramAPIError as exc:
        log.warning("set_chat_menu_button failed: %s", type(exc).__name__)
