"""«Какую школу открыть?»: a curator of several schools picks one for /indicators,
/headcount and /surveys (each command's own callback opens the school, and checks it
against who pressed)."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t


def pick_text(command: str) -> str:
    return t("school_pick.text", command=command)


def pick_markup(
    schools: list[tuple[int, str]], opens: Callable[[int], CallbackData]
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for school_id, name in schools:
        kb.button(text=name[:60], callback_data=opens(school_id))
    kb.adjust(1)
    return kb.as_markup()
