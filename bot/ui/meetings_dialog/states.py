"""The meeting feature's states: the date-and-time dialog's windows and the typed
answers outside it, and what the dialog was opened for."""

from __future__ import annotations

import enum

from aiogram.fsm.state import State, StatesGroup


class Mode(enum.StrEnum):
    """One dialog serves four purposes:

    - schedule: kind → date (today or later) → time → format → place/link → confirm;
    - log: kind → a summary with today (or yesterday) at the school's usual time and
      the usual duration, each changeable → saved;
    - move / counter: date → time → confirm (the format and place stay).
    """

    SCHEDULE = "schedule"
    LOG = "log"
    MOVE = "move"
    COUNTER = "counter"


class MeetingDialog(StatesGroup):
    kind = State()
    date = State()
    time = State()
    format = State()
    place = State()
    confirm = State()
    duration = State()
    log_confirm = State()


class MeetingText(StatesGroup):
    """Typed answers outside the dialog (plain FSM, data: ids only)."""

    topic = State()  # data: meeting_id
    skip_reason = State()  # data: pair_id
