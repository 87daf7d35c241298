"""«Что выгрузить?»: a person with more than one scope of their own (a regional
coordinator who also curates a school, a curator of two schools) picks which one
/export or /spravka makes a file of, or which one /indicators opens. The button's
scope is checked against who pressed it when it is opened (services.export.scope.of_level,
the indicators' own checks)."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import ScopePickCb
from services.export.scope import Level
from services.staff_scope import Own

LEVELS = {"region": "r", "municipality": "m", "school": "s"}
LEVEL_OF = {"r": Level.REGION, "m": Level.MUNICIPALITY, "s": Level.SCHOOL}
ICONS = {"region": "🗺", "municipality": "🏙", "school": "🏫"}


def text(what: str) -> str:
    return t(f"scope_pick.{what}")


def markup(what: str, scopes: list[Own]) -> InlineKeyboardMarkup:
    return opening(scopes, lambda s: ScopePickCb(what=what, lvl=LEVELS[s.level], id=s.id))


def opening(scopes: list[Own], opens: Callable[[Own], CallbackData]) -> InlineKeyboardMarkup:
    """A button per scope, each with the callback that opens it (a command's own)."""
    kb = InlineKeyboardBuilder()
    for s in scopes:
        kb.button(text=f"{ICONS[s.level]} {s.name}"[:64], callback_data=opens(s))
    kb.adjust(1)
    return kb.as_markup()
