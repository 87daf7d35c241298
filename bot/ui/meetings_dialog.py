"""Picking a meeting's date and time from a phone: an aiogram-dialog with its Calendar
widget (never a typed date), time buttons in the school's time zone, the format and
place, and a summary to send. One dialog serves four modes:

- schedule: kind → date (today or later) → time → format → place/link → confirm;
- log: kind → date (today or earlier) → time (already past) → duration → saved;
- move / counter: date → time → confirm (the format and place stay).

Everything in the dialog's data is a string or a number, so it survives JSON (Redis).
Ids come from start data that a handler wrote after checking the presser; the service
checks them again when the dialog sends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Dispatcher, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import (
    ChatEvent,
    Dialog,
    DialogManager,
    ShowMode,
    StartMode,
    Window,
    setup_dialogs,
)
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent
from aiogram_dialog.utils import CB_SEP
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Calendar,
    CalendarScope,
    Group,
    Row,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScopeView,
    CalendarYearsView,
    ManagedCalendar,
)
from aiogram_dialog.widgets.text import Format, Text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.callbacks import MeetingCb
from bot.ui.notices.meetings import block, day_text, kind_name, names, utc_offset
from models import MeetingFormat, MeetingKind, MeetingStatus
from services import meetings
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.meetings import MeetingInfo, PairCard

SCHEDULE = "schedule"
LOG = "log"
MOVE = "move"
COUNTER = "counter"

PARTS = {
    "morning": ("08:00", "11:30"),
    "day": ("12:00", "15:30"),
    "evening": ("16:00", "19:30"),
}


class MeetingDialog(StatesGroup):
    kind = State()
    date = State()
    time = State()
    format = State()
    place = State()
    confirm = State()
    duration = State()


class MeetingText(StatesGroup):
    """Typed answers outside the dialog (plain FSM, data: ids only)."""

    topic = State()  # data: meeting_id
    skip_reason = State()  # data: pair_id


# --- starting ------------------------------------------------------------------------


async def start(
    manager: DialogManager, mode: str, *, pair_id: int = 0, meeting_id: int = 0
) -> None:
    """Open the dialog in a new message (the message with the button stays as it was)."""
    first = MeetingDialog.kind if mode in (SCHEDULE, LOG) else MeetingDialog.date
    await manager.start(
        first,
        data={"mode": mode, "pair_id": pair_id, "meeting_id": meeting_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


# --- helpers -------------------------------------------------------------------------


def _session(manager: DialogManager) -> AsyncSession:
    session: AsyncSession = manager.middleware_data["session"]
    return session


def _clock(manager: DialogManager) -> Clock:
    clock: Clock = manager.middleware_data["clock"]
    return clock


def _me(manager: DialogManager) -> int | None:
    actor: Actor = manager.middleware_data["actor"]
    return actor.participant_id


def _start(manager: DialogManager) -> dict[str, Any]:
    data = manager.start_data
    assert isinstance(data, dict)
    return data


def _mode(manager: DialogManager) -> str:
    return str(_start(manager)["mode"])


def _today(manager: DialogManager) -> dt.date:
    return meetings.local_today(_clock(manager).now(), str(manager.dialog_data["zone"]))


def _chosen_start(manager: DialogManager) -> dt.datetime:
    d = manager.dialog_data
    return meetings.local_to_utc(dt.date.fromisoformat(d["date"]), d["time"], d["zone"])


def _others(card: PairCard) -> str:
    return card.mentor_name if not card.is_mentor else names(card.mentee_names)


async def _card(manager: DialogManager) -> PairCard:
    return await meetings.card_of(
        _session(manager), _me(manager) or 0, int(manager.dialog_data["pair_id"])
    )


async def _finish(
    callback: CallbackQuery,
    manager: DialogManager,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Close the dialog and turn its message into the outcome."""
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=reply_markup)


class Tr(Text):
    """A text from the locale, looked up when shown (inside the update's locale)."""

    def __init__(self, key: str, when: Any = None) -> None:
        super().__init__(when=when)
        self.key = key

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return t(self.key)


# --- the calendar, in Russian and on the injected clock --------------------------------


class _DayText(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return f"·{day.day}·" if day == _today(manager) else str(day.day)


class _WeekdayText(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return t(f"meeting.wd.{day.isoweekday()}")


class _MonthText(Text):
    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.pattern = pattern

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return self.pattern.format(month=t(f"meeting.month.{day.month}"), year=day.year)


class MeetingCalendar(Calendar):
    """aiogram-dialog's Calendar with Russian month and weekday names, opening on the
    month of today in the school's zone by the bot's clock (tests inject the clock)."""

    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data,
                date_text=_DayText(),
                today_text=_DayText(),
                weekday_text=_WeekdayText(),
                header_text=_MonthText("🗓 {month} {year}"),
                prev_month_text=_MonthText("◀️ {month}"),
                next_month_text=_MonthText("{month} ▶️"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=_MonthText("{month}"),
                this_month_text=_MonthText("[{month}]"),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }

    async def _render_keyboard(self, data: dict[str, Any], manager: DialogManager) -> Any:
        if self.get_offset(manager) is None:
            self.set_offset(_today(manager), manager)
        return await super()._render_keyboard(data, manager)


# --- on start ------------------------------------------------------------------------


async def on_start(start_data: Any, manager: DialogManager) -> None:
    session, me = _session(manager), _me(manager)
    data = _start(manager)
    d = manager.dialog_data
    if data["mode"] in (MOVE, COUNTER):
        info = await meetings.meeting_for_member(session, me, int(data["meeting_id"]))
        d.update(
            pair_id=info.pair_id,
            zone=info.zone,
            kind=info.kind.value,
            format=info.format.value if info.format else "",
            place=info.place or "",
        )
    else:
        card = await meetings.card_of(session, me or 0, int(data["pair_id"]))
        d.update(pair_id=card.pair_id, zone=card.zone)
    d["part"] = "morning"


# --- getters -------------------------------------------------------------------------


async def kind_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    card = await _card(dialog_manager)
    key = "meeting.dlg.kind.log" if _mode(dialog_manager) == LOG else "meeting.dlg.kind.schedule"
    text = t(
        key,
        others=_others(card),
        kind=kind_name(card.next_kind) if card.next_kind else "—",
    )
    if MeetingKind.FINAL in card.kinds and card.next_kind != MeetingKind.FINAL:
        text += "\n\n" + t("meeting.dlg.kind.final_hint")
    return {"text": text, "kinds": [(k.value, kind_name(k)) for k in card.kinds]}


def _flags(manager: DialogManager) -> dict[str, Any]:
    mode = _mode(manager)
    return {
        "pick_kind": mode in (SCHEDULE, LOG),
        "is_schedule": mode == SCHEDULE,
        "is_move": mode in (MOVE, COUNTER),
    }


async def date_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    mode = _mode(dialog_manager)
    kind = kind_name(dialog_manager.dialog_data["kind"])
    text = t(f"meeting.dlg.date.{mode}", kind=kind)
    return {"text": text, **_flags(dialog_manager)}


async def time_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    d = dialog_manager.dialog_data
    day = dt.date.fromisoformat(d["date"])
    text = t(
        "meeting.dlg.time",
        kind=kind_name(d["kind"]),
        day=day_text(day),
        zone=utc_offset(d["zone"], _clock(dialog_manager).now()),
    )
    first, last = PARTS[d["part"]]
    times = [s for s in meetings.slots() if first <= s <= last]
    parts = [
        (
            name,
            ("• " + t(f"meeting.dlg.part.{name}") + " •")
            if name == d["part"]
            else t(f"meeting.dlg.part.{name}"),
        )
        for name in PARTS
    ]
    return {"text": text, "times": times, "parts": parts, **_flags(dialog_manager)}


async def format_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("meeting.dlg.format", meeting=_draft(dialog_manager))}


async def place_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    fmt = dialog_manager.dialog_data.get("format") or MeetingFormat.OFFLINE.value
    return {"text": t(f"meeting.dlg.place.{fmt}")}


def _draft(manager: DialogManager) -> str:
    d = manager.dialog_data
    info = MeetingInfo(
        id=0,
        pair_id=int(d["pair_id"]),
        kind=MeetingKind(d["kind"]),
        status=MeetingStatus.PROPOSED,
        starts_at=_chosen_start(manager),
        zone=d["zone"],
        format=MeetingFormat(d["format"]) if d.get("format") else None,
        place=d.get("place") or None,
    )
    return block(info)


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    card = await _card(dialog_manager)
    key = "meeting.dlg.confirm.move" if _flags(dialog_manager)["is_move"] else "meeting.dlg.confirm"
    text = t(key, meeting=_draft(dialog_manager), others=_others(card))
    return {"text": text, **_flags(dialog_manager)}


async def duration_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    text = t("meeting.dlg.duration", meeting=_draft(dialog_manager))
    durations = [(str(n), t("meeting.button.minutes", n=n)) for n in meetings.DURATIONS]
    return {"text": text, "durations": durations}


# --- handlers ------------------------------------------------------------------------


async def on_kind(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    card = await _card(manager)
    if MeetingKind(item_id) not in card.kinds:
        raise DomainError("meeting.error.wrong_kind")
    manager.dialog_data["kind"] = item_id
    await manager.switch_to(MeetingDialog.date)


async def on_date(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    today = _today(manager)
    if _mode(manager) == LOG:
        if day > today:
            raise DomainError("meeting.error.date_future")
    elif day < today:
        raise DomainError("meeting.error.date_past")
    manager.dialog_data["date"] = day.isoformat()
    await manager.switch_to(MeetingDialog.time)


async def on_part(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    if item_id in PARTS:
        manager.dialog_data["part"] = item_id


async def on_time(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    hhmm = f"{item_id[:2]}:{item_id[2:]}"
    if hhmm not in meetings.slots():
        raise DomainError("meeting.error.time_passed")
    d = manager.dialog_data
    starts_at = meetings.local_to_utc(dt.date.fromisoformat(d["date"]), hhmm, d["zone"])
    now = _clock(manager).now()
    mode = _mode(manager)
    if mode == LOG:
        if starts_at > now:
            raise DomainError("meeting.error.future_log")
    elif starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    d["time"] = hhmm
    if mode == LOG:
        await manager.switch_to(MeetingDialog.duration)
    elif mode == SCHEDULE:
        await manager.switch_to(MeetingDialog.format)
    else:
        await manager.switch_to(MeetingDialog.confirm)


async def on_offline(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["format"] = MeetingFormat.OFFLINE.value
    await manager.switch_to(MeetingDialog.place)


async def on_online(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["format"] = MeetingFormat.ONLINE.value
    await manager.switch_to(MeetingDialog.place)


async def on_place(message: Message, widget: Any, manager: DialogManager) -> None:
    if not message.text:
        await message.answer(t("meeting.dlg.text_only"))
        return
    if manager.dialog_data.get("format") == MeetingFormat.ONLINE.value:
        manager.dialog_data["place"] = meetings.clean_link(message.text)
    else:
        manager.dialog_data["place"] = meetings.clean_place(message.text)
    await manager.switch_to(MeetingDialog.confirm, show_mode=ShowMode.SEND)


async def on_skip_place(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["place"] = ""
    await manager.switch_to(MeetingDialog.confirm)


async def on_send(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    session, clock, me = _session(manager), _clock(manager), _me(manager)
    d = manager.dialog_data
    mode = _mode(manager)
    card = await _card(manager)
    if mode == SCHEDULE:
        try:
            info = await meetings.schedule(
                session,
                clock,
                me,
                int(d["pair_id"]),
                kind=MeetingKind(d["kind"]),
                starts_at=_chosen_start(manager),
                fmt=MeetingFormat(d["format"]) if d.get("format") else None,
                place=d.get("place") or None,
            )
        except DomainError as exc:
            if exc.code != meetings.PROPOSED_MEANWHILE:
                raise
            # The other side was quicker: this draft has nothing left to send.
            await _finish(callback, manager, t(exc.code))
            return
        key = "meeting.dlg.sent"
    else:
        info = await meetings.reschedule(
            session,
            clock,
            me,
            int(_start(manager)["meeting_id"]),
            _chosen_start(manager),
            counter=mode == COUNTER,
        )
        key = "meeting.dlg.sent_move"
    await _finish(callback, manager, t(key, meeting=block(info), others=_others(card)))


async def on_duration(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    session, clock, me = _session(manager), _clock(manager), _me(manager)
    d = manager.dialog_data
    info = await meetings.log_unscheduled(
        session,
        clock,
        me,
        int(d["pair_id"]),
        kind=MeetingKind(d["kind"]),
        starts_at=_chosen_start(manager),
        duration_min=int(item_id),
    )
    card = await _card(manager)
    await ask_topic(manager.middleware_data["state"], info.id)
    await _finish(callback, manager, logged_text(info, card), topic_markup(info.id))


async def on_cancel(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    await _finish(callback, manager, t("meeting.dlg.cancelled"))


async def on_stray(message: Message, widget: Any, manager: DialogManager) -> None:
    """Text where a button is expected: the window comes again, below."""
    manager.show_mode = ShowMode.SEND
    await message.answer(t("meeting.dlg.use_buttons"))


# --- after logging (shared with handlers/meetings.py) ------------------------------------


def logged_text(info: MeetingInfo, card: PairCard) -> str:
    if card.next_kind is None:
        after = t("meeting.next.completed")
    else:
        after = t("meeting.next.kind", kind=kind_name(card.next_kind))
    return t(
        "meeting.held.saved",
        meeting=block(info),
        minutes=info.duration_min or 0,
        after=Html(after),
    )


def topic_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.skip"),
        callback_data=MeetingCb(action="topic_skip", meeting_id=meeting_id),
    )
    return kb.as_markup()


async def ask_topic(state: FSMContext, meeting_id: int) -> None:
    await state.set_state(MeetingText.topic)
    await state.set_data({"meeting_id": meeting_id})


# --- the dialog ------------------------------------------------------------------------


def _cancel() -> Button:
    return Button(Tr("meeting.dlg.cancel"), id="cancel", on_click=on_cancel)


def _back(to: State, when: Any = None, id: str = "back") -> SwitchTo:
    return SwitchTo(Tr("meeting.dlg.back"), id=id, state=to, when=when)


def create_dialog() -> Dialog:
    """A new Dialog (a Router) for each Dispatcher."""
    dialog = Dialog(
        Window(
            Format("{text}"),
            Select(
                Format("{item[1]}"),
                id="kind",
                item_id_getter=lambda item: item[0],
                items="kinds",
                on_click=on_kind,
            ),
            _cancel(),
            MessageInput(on_stray),
            state=MeetingDialog.kind,
            getter=kind_getter,
        ),
        Window(
            Format("{text}"),
            MeetingCalendar(id="cal", on_click=on_date),
            Row(_back(MeetingDialog.kind, when="pick_kind"), _cancel()),
            MessageInput(on_stray),
            state=MeetingDialog.date,
            getter=date_getter,
        ),
        Window(
            Format("{text}"),
            Select(
                Format("{item[1]}"),
                id="part",
                item_id_getter=lambda item: item[0],
                items="parts",
                on_click=on_part,
            ),
            Group(
                Select(
                    Format("{item}"),
                    id="time",
                    item_id_getter=lambda item: item.replace(":", ""),
                    items="times",
                    on_click=on_time,
                ),
                width=4,
            ),
            Row(_back(MeetingDialog.date), _cancel()),
            MessageInput(on_stray),
            state=MeetingDialog.time,
            getter=time_getter,
        ),
        Window(
            Format("{text}"),
            Row(
                Button(Tr("meeting.dlg.offline"), id="offline", on_click=on_offline),
                Button(Tr("meeting.dlg.online"), id="online", on_click=on_online),
            ),
            Row(_back(MeetingDialog.time), _cancel()),
            MessageInput(on_stray),
            state=MeetingDialog.format,
            getter=format_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("meeting.button.skip"), id="skip_place", on_click=on_skip_place),
            Row(_back(MeetingDialog.format), _cancel()),
            MessageInput(on_place),
            state=MeetingDialog.place,
            getter=place_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("meeting.dlg.send"), id="send", on_click=on_send),
            Row(
                _back(MeetingDialog.place, when="is_schedule", id="back_place"),
                _back(MeetingDialog.time, when="is_move", id="back_time"),
                _cancel(),
            ),
            MessageInput(on_stray),
            state=MeetingDialog.confirm,
            getter=confirm_getter,
        ),
        Window(
            Format("{text}"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="duration",
                    item_id_getter=lambda item: item[0],
                    items="durations",
                    on_click=on_duration,
                ),
                width=4,
            ),
            Row(_back(MeetingDialog.time), _cancel()),
            MessageInput(on_stray),
            state=MeetingDialog.duration,
            getter=duration_getter,
        ),
        on_start=on_start,
        name="meetings",
    )
    # Only the dialog's own buttons reach it (others' callbacks never get swallowed by
    # an open dialog), and typed text only when no other form is waiting for it.
    dialog.callback_query.filter(F.data.contains(CB_SEP))
    dialog.message.filter(StateFilter(None))
    return dialog


# --- wiring --------------------------------------------------------------------------


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
