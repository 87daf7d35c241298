"""Personal conversations happen in private chats only.

This sits at the root, before the database is touched: an update from a group, a
supergroup or a channel never reaches a handler, so a curator's /pairs or /invite can
never post names or links into a group. In a group the bot says once (per chat, per
process) that it works in private messages; otherwise it stays silent.

Some senders are never people: all anonymous group admins share one account
(GroupAnonymousBot), a channel writes through Channel_Bot or as ``sender_chat``, Telegram's
service account forwards channel posts to discussion groups, and other bots are bots.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import Chat, Message, TelegramObject, Update, User

from bot.i18n import t

log = logging.getLogger(__name__)

# Accounts that stand for someone else (Bot API docs: "sender_chat", "is_anonymous").
GROUP_ANONYMOUS_BOT = 1087968824
CHANNEL_BOT = 136817688
TELEGRAM_SERVICE = 777000
NOT_PEOPLE = frozenset({GROUP_ANONYMOUS_BOT, CHANNEL_BOT, TELEGRAM_SERVICE})

_TOLD_LIMIT = 10_000


def is_person(user: User | None) -> bool:
    return user is not None and not user.is_bot and user.id not in NOT_PEOPLE


def is_private_with_person(update: Update, chat: Chat | None, user: User | None) -> bool:
    """True for an update a person sent in their private chat with the bot."""
    if chat is None or chat.type != ChatType.PRIVATE or not is_person(user):
        return False
    message = update.message or update.edited_message
    if message is not None and message.sender_chat is not None:
        return False
    # A private chat's id is the person's own id; anything else is forged.
    return user is not None and chat.id == user.id


class PrivateChatsOnly(BaseMiddleware):
    def __init__(self) -> None:
        self._told: set[int] = set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        chat: Chat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        if is_private_with_person(event, chat, user):
            return await handler(event, data)
        log.debug("update %s ignored: not a private chat with a person", event.update_id)
        if chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            await self._tell_once(event.message, chat)
        return None

    async def _tell_once(self, message: Message | None, chat: Chat) -> None:
        """Answer a command in a group once; plain talk in groups is not for the bot."""
        if message is None or not (message.text or "").startswith("/"):
            return
        if chat.id in self._told:
            return
        if len(self._told) >= _TOLD_LIMIT:
            self._told.clear()
        self._told.add(chat.id)
        me = await message.bot.me() if message.bot else None
        await message.answer(
            t("private_only.group", bot=f"@{me.username}" if me and me.username else "")
        )
