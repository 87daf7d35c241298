"""What an aiogram-dialog callback reads from the update's middleware data and its own
dialog data, typed once for every dialog of the bot."""

from __future__ import annotations

import datetime as dt

from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import Actor
from services.clock import Clock


def session_of(manager: DialogManager) -> AsyncSession:
    session: AsyncSession = manager.middleware_data["session"]
    return session


def actor_of(manager: DialogManager) -> Actor:
    actor: Actor = manager.middleware_data["actor"]
    return actor


def clock_of(manager: DialogManager) -> Clock:
    clock: Clock = manager.middleware_data["clock"]
    return clock


def day_of(manager: DialogManager, key: str) -> dt.date:
    """A date the dialog keeps as ISO text (dialog data must stay JSON)."""
    return dt.date.fromisoformat(str(manager.dialog_data[key]))
