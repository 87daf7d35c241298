"""What each button and typed answer of the dialog does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_dialog import ChatEvent, DialogManager, ShowMode
from aiogram_dialog.widgets.kbd.calendar_kbd import ManagedCalendar
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.dialog_parts import chosen
from bot.ui.meetings_dialog.calendar import today_of
from bot.ui.meetings_dialog.context import PARTS, Start, chosen_start, mode, others, part_of
from bot.ui.meetings_dialog.getters import my_pair
from bot.ui.meetings_dialog.states import MeetingDialog, MeetingText, Mode
from bot.ui.views.meeting import block
from bot.ui.views.meetings import logged_text, topic_markup
from models import MeetingFormat, MeetingKind
from services import meetings
from services.access import Actor
from services.clock import Clock, local_to_utc
from services.errors import DomainError


def _deps(manager: DialogManager) -> tuple[AsyncSession, Clock, Actor]:
    data = manager.middleware_data
    return data["session"], data["clock"], data["actor"]


async def finish(
    callback: CallbackQuery,
    manager: DialogManager,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Close the dialog and turn its message into the outcome."""
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=reply_markup)


async def ask_topic(state: FSMContext, meeting_id: int) -> None:
    await state.set_state(MeetingText.topic)
    await state.set_data({"meeting_id": meeting_id})


def _logged_when(today: dt.date, usual: str, zone: str, now: dt.datetime) -> dt.date:
    """A meeting to log most likely took place today at the usual time, or, if that
    time has not come yet, yesterday."""
    return today if local_to_utc(today, usual, zone) <= now else today - dt.timedelta(days=1)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    session, clock, actor = _deps(manager)
    start = Start.of(manager)
    d = manager.dialog_data
    if start.mode in (Mode.MOVE, Mode.COUNTER):
        info = await meetings.meeting_for_member(session, actor.participant_id, start.meeting_id)
        d.update(
            pair_id=info.pair_id,
            zone=info.zone,
            kind=info.kind.value,
            format=info.format.value if info.format else "",
            place=info.place or "",
        )
    else:
        card = await meetings.card_of(session, actor.participant_id or 0, start.pair_id)
        d.update(pair_id=card.pair_id, zone=card.zone)
    habits = await meetings.school_habits(session, int(d["pair_id"]), d["zone"])
    usual = habits.time if habits.time in meetings.slots() else meetings.DEFAULT_TIME
    d["part"] = part_of(usual)
    if start.mode != Mode.LOG and start.mode != Mode.SCHEDULE:
        return
    if start.mode == Mode.LOG:
        day = _logged_when(today_of(manager), usual, d["zone"], clock.now())
        duration = habits.duration_min
        d.update(
            date=day.isoformat(),
            time=usual,
            duration=duration if duration in meetings.DURATIONS else meetings.DEFAULT_DURATION,
        )
    if len(card.kinds) == 1:  # nothing to choose: the stage's own kind
        d.update(kind=card.kinds[0].value, one_kind=True)
        await manager.switch_to(_after_kind(start.mode))


def _after_kind(mode: Mode) -> State:
    return MeetingDialog.log_confirm if mode == Mode.LOG else MeetingDialog.date


async def on_kind(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    session, _, actor = _deps(manager)
    card = await my_pair(manager, session, actor)
    if chosen(MeetingKind, item_id) not in card.kinds:
        raise DomainError("meeting.error.wrong_kind")
    manager.dialog_data["kind"] = item_id
    await manager.switch_to(_after_kind(mode(manager)))


async def on_date(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    today = today_of(manager)
    if mode(manager) == Mode.LOG:
        if day > today:
            raise DomainError("meeting.error.date_future")
    elif day < today:
        raise DomainError("meeting.error.date_past")
    manager.dialog_data["date"] = day.isoformat()
    await manager.switch_to(MeetingDialog.time)


async def on_part(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    if item_id == manager.dialog_data.get("part"):
        # Already shown: an identical edit is refused by Telegram («not modified»).
        manager.show_mode = ShowMode.NO_UPDATE
    elif item_id in PARTS:
        manager.dialog_data["part"] = item_id


async def on_time(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    hhmm = f"{item_id[:2]}:{item_id[2:]}"
    if hhmm not in meetings.slots():
        raise DomainError("meeting.error.time_passed")
    _, clock, _ = _deps(manager)
    d = manager.dialog_data
    starts_at = local_to_utc(dt.date.fromisoformat(d["date"]), hhmm, d["zone"])
    now = clock.now()
    current = mode(manager)
    if current == Mode.LOG:
        if starts_at > now:
            raise DomainError("meeting.error.future_log")
    elif starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    d["time"] = hhmm
    if current == Mode.LOG:
        await manager.switch_to(MeetingDialog.log_confirm)
    elif current == Mode.SCHEDULE:
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
    session, clock, actor = _deps(manager)
    me = actor.participant_id
    d = manager.dialog_data
    start = Start.of(manager)
    card = await my_pair(manager, session, actor)
    if start.mode == Mode.SCHEDULE:
        try:
            info = await meetings.schedule(
                session,
                clock,
                me,
                int(d["pair_id"]),
                kind=MeetingKind(d["kind"]),
                starts_at=chosen_start(manager),
                fmt=MeetingFormat(d["format"]) if d.get("format") else None,
                place=d.get("place") or None,
            )
        except DomainError as exc:
            if exc.code != meetings.PROPOSED_MEANWHILE:
                raise
            # The other side was quicker: this draft has nothing left to send.
            await finish(callback, manager, t(exc.code))
            return
        key = "meeting.dlg.sent"
    else:
        info = await meetings.reschedule(
            session,
            clock,
            me,
            start.meeting_id,
            chosen_start(manager),
            counter=start.mode == Mode.COUNTER,
        )
        key = "meeting.dlg.sent_move"
    await finish(callback, manager, t(key, meeting=block(info), others=others(card)))


async def on_duration(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    # The button's id; a forged one is any text, and only the offered lengths are kept.
    if not item_id.isascii() or not item_id.isdigit() or int(item_id) not in meetings.DURATIONS:
        raise DomainError("meeting.error.duration")
    manager.dialog_data["duration"] = int(item_id)
    await manager.switch_to(MeetingDialog.log_confirm)


async def on_log(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    """«Записать»: the meeting as the summary shows it."""
    session, clock, actor = _deps(manager)
    d = manager.dialog_data
    logged = await meetings.log_unscheduled(
        session,
        clock,
        actor.participant_id,
        int(d["pair_id"]),
        kind=MeetingKind(d["kind"]),
        starts_at=chosen_start(manager),
        duration_min=int(d["duration"]),
    )
    await ask_topic(manager.middleware_data["state"], logged.meeting.id)
    await finish(callback, manager, logged_text(logged), topic_markup(logged.meeting.id))


async def on_cancel(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    await finish(callback, manager, t("meeting.dlg.cancelled"))


async def on_stray(message: Message, widget: Any, manager: DialogManager) -> None:
    """Text where a button is expected: the window comes again, below."""
    manager.show_mode = ShowMode.SEND
    await message.answer(t("meeting.dlg.use_buttons"))
