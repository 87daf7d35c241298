"""One validation place for every typed text (and a sent file's name, which the bot
stores and shows): control characters are removed before any handler sees a message. A
NUL (U+0000) breaks PostgreSQL text columns, other C0/C1 controls and bidirectional
overrides can hide or reorder what a curator reads later. Line breaks and tabs are kept
(tabs as spaces)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

# C0 except \t \n, DEL, C1, bidi embeddings/overrides/isolates, BOM.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    return _UNWANTED.sub("", text.replace("\t", " ").replace("\r\n", "\n"))


class CleanText(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message):
            event = _cleaned(event)
        return await handler(event, data)


def _cleaned(message: Message) -> Message:
    changes: dict[str, Any] = {}
    for name in ("text", "caption"):
        value = getattr(message, name)
        if value is not None and (fixed := clean(value)) != value:
            changes[name] = fixed
            # Entity offsets no longer match the text; a leading command needs none
            # (aiogram's Command filter reads the text itself).
            changes["entities" if name == "text" else "caption_entities"] = None
    document = message.document
    file_name = document.file_name if document is not None else None
    if document is not None and file_name and (fixed := clean(file_name)) != file_name:
        # A portfolio's diploma, a club's material: kept, and shown to others.
        changes["document"] = document.model_copy(update={"file_name": fixed or "файл"})
    if not changes:
        return message
    return message.model_copy(update=changes)
