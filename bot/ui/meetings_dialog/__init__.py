"""Picking a meeting's date and time from a phone: an aiogram-dialog with its Calendar
widget (never a typed date), time buttons in the school's time zone, the format and
place, and a summary to send (states, calendar, getters, handlers, the dialog)."""

from __future__ import annotations

from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.ui.meetings_dialog.dialog import create_dialog
from bot.ui.meetings_dialog.handlers import ask_topic
from bot.ui.meetings_dialog.states import MeetingDialog, MeetingText, Mode

__all__ = ["MeetingText", "Mode", "ask_topic", "create_dialog", "start"]


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
