"""How a meeting reads (a block of a few lines), its buttons and its calendar file:
shared by the meeting screens, the date picker and the meeting notices."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import MeetingAction, MeetingCb, MeetingDurationCb
from bot.ui.dates import when
from bot.ui.kinds import kind_title
from bot.ui.render import free_text
from models import MeetingFormat
from services import ics, meetings
from services.meetings import MeetingInfo


def status_name(info: MeetingInfo) -> str:
    if info.skip_reason:
        return t("meeting.status.skipped")
    return t(f"meeting.status.{info.status.value}")


def where(fmt: MeetingFormat | None, place: str | None) -> str:
    if fmt is None:
        return ""
    if place:
        # The online link is the meeting's own and stays a link; a typed room does not.
        shown = place if fmt == MeetingFormat.ONLINE else free_text(place)
        return t(f"meeting.where.{fmt.value}", place=shown)
    return t(f"meeting.where.{fmt.value}_bare")


def block(info: MeetingInfo) -> Html:
    """The meeting in a few lines: kind, local date and time, place or link."""
    lines = [
        t("meeting.block.kind", kind=kind_title(info.kind)),
        t("meeting.block.when", when=when(info.starts_at, info.zone)),
    ]
    place = where(info.format, info.place)
    if place:
        lines.append(place)
    return Html("\n".join(lines))


def _buttons(meeting_id: int, *actions: tuple[str, MeetingAction]) -> InlineKeyboardBuilder:
    kb = InlineKeyboardBuilder()
    for key, action in actions:
        kb.button(text=t(key), callback_data=MeetingCb(action=action, meeting_id=meeting_id))
    return kb


def proposal_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = _buttons(
        meeting_id,
        ("meeting.button.confirm", MeetingAction.CONFIRM),
        ("meeting.button.counter", MeetingAction.COUNTER),
    )
    kb.adjust(1)
    return kb.as_markup()


def happened_markup(meeting_id: int, yes_key: str = "meeting.button.yes") -> InlineKeyboardMarkup:
    kb = _buttons(
        meeting_id,
        (yes_key, MeetingAction.YES),
        ("meeting.button.move", MeetingAction.MOVE),
        ("meeting.button.no", MeetingAction.NO),
    )
    kb.adjust(1, 2)
    return kb.as_markup()


def durations_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for minutes in meetings.DURATIONS:
        kb.button(
            text=t("meeting.button.minutes", n=minutes),
            callback_data=MeetingDurationCb(meeting_id=meeting_id, minutes=minutes),
        )
    kb.adjust(4)
    return kb.as_markup()


def move_cancel_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = _buttons(
        meeting_id,
        ("meeting.button.move", MeetingAction.MOVE),
        ("meeting.button.cancel", MeetingAction.CANCEL),
    )
    kb.adjust(2)
    return kb.as_markup()


def cancel_question_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = _buttons(
        meeting_id,
        ("meeting.button.cancel_ok", MeetingAction.CANCEL_OK),
        ("meeting.button.keep", MeetingAction.KEEP),
    )
    kb.adjust(2)
    return kb.as_markup()


def ics_file(info: MeetingInfo, stamp: dt.datetime, *, cancel: bool = False) -> tuple[str, bytes]:
    event = ics.IcsEvent(
        meeting_id=info.id,
        starts_at=info.starts_at,
        summary=kind_title(info.kind),
        sequence=info.sequence + (1 if cancel else 0),
        duration_min=info.duration_min,
        format=info.format,
        place=info.place,
        description=t("meeting.ics.description"),
    )
    return ics.filename(info.id), ics.build(event, stamp=stamp, cancel=cancel)
