"""The windows of the dialog, in order."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.utils import CB_SEP
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Group, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format, Text

from bot.i18n import t
from bot.ui.meetings_dialog import getters
from bot.ui.meetings_dialog import handlers as on
from bot.ui.meetings_dialog.calendar import MeetingCalendar
from bot.ui.meetings_dialog.states import MeetingDialog


class Tr(Text):
    """A text from the locale, looked up when shown (inside the update's locale)."""

    def __init__(self, key: str, when: Any = None) -> None:
        super().__init__(when=when)
        self.key = key

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return t(self.key)


def _cancel() -> Button:
    return Button(Tr("meeting.dlg.cancel"), id="cancel", on_click=on.on_cancel)


def _back(to: State, when: Any = None, id: str = "back") -> SwitchTo:
    return SwitchTo(Tr("meeting.dlg.back"), id=id, state=to, when=when)


def _choice(id: str, items: str, on_click: Any) -> Select[Any]:
    return Select(
        Format("{item[1]}"),
        id=id,
        item_id_getter=lambda item: item[0],
        items=items,
        on_click=on_click,
    )


def create_dialog() -> Dialog:
    """A new Dialog (a Router) for each Dispatcher."""
    dialog = Dialog(
        Window(
            Format("{text}"),
            _choice("kind", "kinds", on.on_kind),
            _cancel(),
            MessageInput(on.on_stray),
            state=MeetingDialog.kind,
            getter=getters.kind_getter,
        ),
        Window(
            Format("{text}"),
            MeetingCalendar(id="cal", on_click=on.on_date),
            Row(_back(MeetingDialog.kind, when="pick_kind"), _cancel()),
            MessageInput(on.on_stray),
            state=MeetingDialog.date,
            getter=getters.date_getter,
        ),
        Window(
            Format("{text}"),
            _choice("part", "parts", on.on_part),
            Group(
                Select(
                    Format("{item}"),
                    id="time",
                    item_id_getter=lambda item: item.replace(":", ""),
                    items="times",
                    on_click=on.on_time,
                ),
                width=4,
            ),
            Row(_back(MeetingDialog.date), _cancel()),
            MessageInput(on.on_stray),
            state=MeetingDialog.time,
            getter=getters.time_getter,
        ),
        Window(
            Format("{text}"),
            Row(
                Button(Tr("meeting.dlg.offline"), id="offline", on_click=on.on_offline),
                Button(Tr("meeting.dlg.online"), id="online", on_click=on.on_online),
            ),
            Row(_back(MeetingDialog.time), _cancel()),
            MessageInput(on.on_stray),
            state=MeetingDialog.format,
            getter=getters.format_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("meeting.button.skip"), id="skip_place", on_click=on.on_skip_place),
            Row(_back(MeetingDialog.format), _cancel()),
            MessageInput(on.on_place),
            state=MeetingDialog.place,
            getter=getters.place_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("meeting.dlg.send"), id="send", on_click=on.on_send),
            Row(
                _back(MeetingDialog.place, when="is_schedule", id="back_place"),
                _back(MeetingDialog.time, when="is_move", id="back_time"),
                _cancel(),
            ),
            MessageInput(on.on_stray),
            state=MeetingDialog.confirm,
            getter=getters.confirm_getter,
        ),
        Window(
            Format("{text}"),
            Group(_choice("duration", "durations", on.on_duration), width=4),
            Row(_back(MeetingDialog.log_confirm), _cancel()),
            MessageInput(on.on_stray),
            state=MeetingDialog.duration,
            getter=getters.duration_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("meeting.dlg.log_ok"), id="log", on_click=on.on_log),
            Row(
                SwitchTo(Tr("meeting.dlg.change.date"), id="log_date", state=MeetingDialog.date),
                SwitchTo(Tr("meeting.dlg.change.time"), id="log_time", state=MeetingDialog.time),
                SwitchTo(
                    Tr("meeting.dlg.change.duration"), id="log_min", state=MeetingDialog.duration
                ),
            ),
            Row(_back(MeetingDialog.kind, when="pick_kind"), _cancel()),
            MessageInput(on.on_stray),
            state=MeetingDialog.log_confirm,
            getter=getters.log_confirm_getter,
        ),
        on_start=on.on_start,
        name="meetings",
    )
    # Only the dialog's own buttons reach it (others' callbacks never get swallowed by
    # an open dialog), and typed text only when no other form is waiting for it.
    dialog.callback_query.filter(F.data.contains(CB_SEP))
    dialog.message.filter(StateFilter(None))
    return dialog
