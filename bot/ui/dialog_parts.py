"""Pieces the bot's small calendar dialogs (/holidays, /programme's period) share: the
cancel button that closes the dialog and says so in the same message, the hint for
typed text (dates are picked, never typed), the filters that keep other updates out of
the dialog, and a choice's id read back as what it stands for."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode
from aiogram_dialog.utils import CB_SEP
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.i18n import t
from bot.ui.surveys.dates_dialog import Tr
from services.errors import DomainError

E = TypeVar("E", bound=enum.Enum)


def chosen(kind: type[E], item_id: str) -> E:
    """A Select button's id as the value it stands for. aiogram-dialog passes on any id
    the callback carries: a made-up one (a forged button) is refused as a stale button,
    not a «Что-то пошло не так»."""
    try:
        return kind(item_id)
    except ValueError:
        raise DomainError("error.stale_button") from None


def cancel_button(label_key: str, cancelled_key: str) -> Button:
    """Closes the dialog; its message becomes ``cancelled_key``'s text, without buttons."""

    async def cancelled(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
        await manager.done(show_mode=ShowMode.NO_UPDATE)
        if isinstance(callback.message, Message):
            await callback.message.edit_text(t(cancelled_key), reply_markup=None)

    return Button(Tr(label_key), id="cancel", on_click=cancelled)


def typed_hint(hint_key: str) -> MessageInput:
    """Typed text while the dialog waits for a button: a hint, the step kept."""

    async def hint(message: Message, widget: Any, manager: DialogManager) -> None:
        manager.show_mode = ShowMode.SEND
        await message.answer(t(hint_key))

    return MessageInput(hint)


def own_updates_only(dialog: Dialog) -> Dialog:
    """Only the dialog's own buttons reach it, and typed text only when no other form
    waits."""
    dialog.callback_query.filter(F.data.contains(CB_SEP))
    dialog.message.filter(StateFilter(None))
    return dialog
