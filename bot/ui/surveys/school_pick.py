"""«Какую школу открыть?»: a curator of several schools picks one for /indicators,
/headcount, /surveys and /programme; a coordinator of several municipalities (or one who
curates a school elsewhere) picks among them and the schools for the last three. Each
command's own callback opens the choice, and checks it against who pressed."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.views import scope_pick
from services.staff_scope import Own


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


def places_text(command: str, places: list[Own]) -> str:
    if all(p.level == "school" for p in places):
        return pick_text(command)
    return t("place_pick.text", command=command)


def places_markup(places: list[Own], opens: Callable[[Own], CallbackData]) -> InlineKeyboardMarkup:
    """«🏙 municipality» and «🏫 school» buttons; a curator's schools alone, by name as
    before."""
    if all(p.level == "school" for p in places):
        return pick_markup([(p.id, p.name) for p in places], lambda s: opens(Own("school", s, "")))
    return scope_pick.opening(places, opens)
