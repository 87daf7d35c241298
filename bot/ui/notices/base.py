"""What a renderer returns, and its signature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox


@dataclass(frozen=True)
class Notice:
    text: str
    reply_markup: InlineKeyboardMarkup | None = None
    # A file to send instead of a plain message (the text becomes its caption).
    document: tuple[str, bytes] | None = None
    # A picture sent just before the message (the digest's chart), with its caption.
    photo: tuple[str, bytes] | None = None
    photo_caption: str | None = None
    # A file sent just after the message (the export that comes with a digest).
    attachment: tuple[str, bytes] | None = None
    attachment_caption: str | None = None
    # The recipient's roles changed: once delivered, the sender refreshes their command
    # menu, so nothing reaches another person's chat outside the outbox.
    sync_menu: bool = False
    # «📊 Панель» under the message (the digest), and the chat's menu button set to the
    # panel, when the sender knows the panel's URL (WEBAPP_URL).
    panel_button: bool = False
    # Sent to this chat instead of the recipient's (the club's channel post); if the chat
    # refuses it (the bot is not an admin there), the recipient gets a row of
    # `refused_kind` with the same payload instead of being marked as blocking the bot.
    to_chat: int | None = None
    # A file Telegram already has (a club material), sent by its id instead of the text.
    document_id: str | None = None
    photo_id: str | None = None  # a photo Telegram already has, with the text as caption
    refused_kind: str | None = None


Renderer = Callable[[AsyncSession, Outbox], Awaitable[Notice | None]]
