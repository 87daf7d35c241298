"""What the dialog's steps share: its start data and its draft, read from the manager.
Everything in the dialog's data is a string or a number, so it survives JSON (Redis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aiogram_dialog import DialogManager

from bot.ui.meetings_dialog.states import Mode
from bot.ui.people import names
from bot.ui.views.meeting import block
from models import MeetingFormat, MeetingKind, MeetingStatus
from services.clock import local_to_utc
from services.meetings import MeetingInfo, MyPair

# The time buttons by part of the day, "HH:MM" local, first and last.
PARTS = {
    "morning": ("08:00", "11:30"),
    "day": ("12:00", "15:30"),
    "evening": ("16:00", "19:30"),
}


def part_of(hhmm: str) -> str:
    return next((name for name, (_, last) in PARTS.items() if hhmm <= last), "evening")


@dataclass(frozen=True)
class Start:
    """The dialog's start data: ids a handler wrote after checking the presser (the
    service checks them again when the dialog sends)."""

    mode: Mode
    pair_id: int = 0
    meeting_id: int = 0

    @classmethod
    def of(cls, manager: DialogManager) -> Start:
        data = manager.start_data
        assert isinstance(data, dict)
        return cls(Mode(data["mode"]), int(data["pair_id"]), int(data["meeting_id"]))


def mode(manager: DialogManager) -> Mode:
    return Start.of(manager).mode


def chosen_start(manager: DialogManager) -> dt.datetime:
    d = manager.dialog_data
    return local_to_utc(dt.date.fromisoformat(d["date"]), d["time"], d["zone"])


def others(card: MyPair) -> str:
    return card.mentor_name if not card.is_mentor else names(card.mentee_names)


def draft_block(manager: DialogManager) -> str:
    d = manager.dialog_data
    info = MeetingInfo(
        id=0,
        pair_id=int(d["pair_id"]),
        kind=MeetingKind(d["kind"]),
        status=MeetingStatus.PROPOSED,
        starts_at=chosen_start(manager),
        zone=d["zone"],
        format=MeetingFormat(d["format"]) if d.get("format") else None,
        place=d.get("place") or None,
    )
    return block(info)


def flags(manager: DialogManager) -> dict[str, bool]:
    m = mode(manager)
    return {
        # A stage with one possible kind is not asked (nor gone back to).
        "pick_kind": m in (Mode.SCHEDULE, Mode.LOG) and not manager.dialog_data.get("one_kind"),
        "is_log": m == Mode.LOG,
        "is_schedule": m == Mode.SCHEDULE,
        "is_move": m in (Mode.MOVE, Mode.COUNTER),
    }
