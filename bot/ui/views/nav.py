"""Paging buttons: «◀» and «▶» under a list."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t


def page_buttons(
    kb: InlineKeyboardBuilder, page: int, pages: int, make: Callable[[int], CallbackData]
) -> int:
    """Add the previous/next buttons that apply; returns how many (one row's width)."""
    n = 0
    if page > 0:
        kb.button(text=t("nav.prev"), callback_data=make(page - 1))
        n += 1
    if page + 1 < pages:
        kb.button(text=t("nav.next"), callback_data=make(page + 1))
        n += 1
    return n


def page_line(page: int, pages: int) -> list[str]:
    return [t("nav.page", page=page + 1, pages=pages)] if pages > 1 else []
