"""Picking a meeting's date and time from a phone: an aiogram-dialog with its Calendar
widget (never a typed date), time buttons in the school's time zone, the format and
place, and a summary to send (states, calendar, getters, handlers, the dialog)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.types import CallbackQuery, TelegramObject
from aiogram_dialog import DialogManager, ShowMode, StartMode, setup_dialogs
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent

from bot.i18n import t
from bot.ui.meetings_dialog.dialog import create_dialog
from bot.ui.meetings_dialog.handlers import ask_topic
from bot.ui.meetings_dialog.states import MeetingDialog, MeetingText, Mode

__all__ = ["MeetingText", "Mode", "ask_topic", "create_dialog", "setup", "start"]


async def start(
    manager: DialogManager, mode: Mode, *, pair_id: int = 0, meeting_id: int = 0
) -> None:
    """Open the dialog in a new message (the message with the button stays as it was)."""
    first = MeetingDialog.kind if mode in (Mode.SCHEDULE, Mode.LOG) else MeetingDialog.date
    await manager.start(
        first,
        data={"mode": mode.value, "pair_id": pair_id, "meeting_id": meeting_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def _stale_dialog(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    """A button of a dialog that is closed or was replaced by a newer one."""
    try:
        return await handler(event, data)
    except (UnknownIntent, OutdatedIntent):
        if isinstance(event, CallbackQuery):
            await event.answer(t("error.stale_button"), show_alert=True)
        return None


def setup(dp: Dispatcher, isolation: BaseEventIsolation) -> None:
    """Called once per Dispatcher, after the routers (the dialog is among them)."""
    dp.callback_query.outer_middleware(_stale_dialog)
    setup_dialogs(dp, events_isolation=isolation)
