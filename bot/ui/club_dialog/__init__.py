"""The organiser's event form: an aiogram-dialog (title, type, date from the Calendar
widget, time from buttons in the event's zone, place or link, audience, capacity,
description), then a summary to save as a draft or publish. Editing opens the same
summary with the event's values and a button per field."""

from __future__ import annotations

from bot.ui.club_dialog.dialog import create_dialog, start_add, start_edit

__all__ = ["create_dialog", "start_add", "start_edit"]
