"""Rendering outbox rows into messages, at send time (so names are never stale).

Each module in this package exposes ``RENDERERS: dict[str, Renderer]`` for its kinds
(services.outbox.Kind). A renderer returns None when the row has become pointless
(the meeting was cancelled, the feedback was given): the sender then cancels it.
The scheduler imports this package, never handlers.
"""

from __future__ import annotations

import importlib
import pkgutil
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


Renderer = Callable[[AsyncSession, Outbox], Awaitable[Notice | None]]


def renderers() -> dict[str, Renderer]:
    found: dict[str, Renderer] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for kind, renderer in getattr(module, "RENDERERS", {}).items():
            if kind in found:
                raise RuntimeError(f"two renderers for outbox kind {kind!r}")
            found[kind] = renderer
    return found
