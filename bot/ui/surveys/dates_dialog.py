"""The curator moves a survey round: opening day and last day picked from
aiogram-dialog's Calendar (never typed), then «Сохранить». The round id comes from the
start data a handler wrote after checking the presser; the service checks it again
when saving. Everything in the dialog's data is a string or a number (JSON-safe)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import ChatEvent, Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.utils import CB_SEP
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, CalendarScope, Row, SwitchTo
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScopeView,
    CalendarYearsView,
    ManagedCalendar,
)
from aiogram_dialog.widgets.text import Format, Text

from bot.i18n import t
from bot.ui.dialog_data import actor_of, day_of, session_of
from bot.ui.safe_calendar import SafeCalendar
from bot.ui.surveys.answering import round_title
from models.surveys import RoundKind
from services.errors import DomainError
from services.surveys import rounds


class RoundDates(StatesGroup):
    opens = State()
    closes = State()
    confirm = State()


async def start(manager: DialogManager, round_id: int) -> None:
    await manager.start(
        RoundDates.opens,
        data={"round_id": round_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


def _text_day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


class Tr(Text):
    """A text from the locale, looked up when shown."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return t(self.key)


class _DayText(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return str(day.day)


class _WeekdayText(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return t(f"surveys.wd.{day.isoweekday()}")


class _MonthText(Text):
    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.pattern = pattern

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return self.pattern.format(month=t(f"surveys.month.{day.month}"), year=day.year)


class RoundCalendar(SafeCalendar):
    """Russian month and weekday names; opens on the month of the date being changed."""

    def __init__(self, id: str, on_click: Any, key: str) -> None:
        super().__init__(id=id, on_click=on_click)
        self.key = key

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
            self.set_offset(day_of(manager, self.key), manager)
        return await super()._render_keyboard(data, manager)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    assert isinstance(start_data, dict)
    found = await rounds.dates_of(
        session_of(manager), actor_of(manager), int(start_data["round_id"])
    )
    manager.dialog_data.update(
        round_id=found.round_id,
        kind=found.kind.value,
        year=found.academic_year,
        opens=found.opens_on.isoformat(),
        closes=found.closes_on.isoformat(),
        was_opens=found.opens_on.isoformat(),
        was_closes=found.closes_on.isoformat(),
    )


def _title(manager: DialogManager) -> str:
    return round_title(RoundKind(str(manager.dialog_data["kind"])))


async def opens_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    text = t(
        "surveys.dates.opens",
        title=_title(dialog_manager),
        opens=_text_day(day_of(dialog_manager, "was_opens")),
        closes=_text_day(day_of(dialog_manager, "was_closes")),
    )
    return {"text": text}


async def closes_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    text = t(
        "surveys.dates.closes",
        title=_title(dialog_manager),
        opens=_text_day(day_of(dialog_manager, "opens")),
    )
    return {"text": text}


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    text = t(
        "surveys.dates.confirm",
        title=_title(dialog_manager),
        opens=_text_day(day_of(dialog_manager, "opens")),
        closes=_text_day(day_of(dialog_manager, "closes")),
    )
    return {"text": text}


def _within_year(manager: DialogManager, day: dt.date) -> None:
    first, last = rounds.year_bounds(str(manager.dialog_data["year"]))
    if not first <= day <= last:
        raise DomainError(
            "surveys.rounds.outside_year",
            year=str(manager.dialog_data["year"]),
            first=_text_day(first),
            last=_text_day(last),
        )


async def on_opens(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    _within_year(manager, day)
    manager.dialog_data["opens"] = day.isoformat()
    if day_of(manager, "closes") < day:
        manager.dialog_data["closes"] = day.isoformat()
    await manager.switch_to(RoundDates.closes)


async def on_closes(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    _within_year(manager, day)
    if day < day_of(manager, "opens"):
        raise DomainError("surveys.rounds.bad_order")
    manager.dialog_data["closes"] = day.isoformat()
    await manager.switch_to(RoundDates.confirm)


async def _finish(callback: CallbackQuery, manager: DialogManager, text: str) -> None:
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=None)


async def on_save(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    saved = await rounds.set_dates(
        session_of(manager),
        actor_of(manager),
        int(manager.dialog_data["round_id"]),
        day_of(manager, "opens"),
        day_of(manager, "closes"),
    )
    text = t(
        "surveys.dates.saved",
        title=round_title(saved.kind),
        opens=_text_day(saved.opens_on),
        closes=_text_day(saved.closes_on),
    )
    await _finish(callback, manager, text)


async def on_cancel(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    await _finish(callback, manager, t("surveys.dates.cancelled"))


async def on_stray(message: Message, widget: Any, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.SEND
    await message.answer(t("surveys.dates.use_buttons"))


def _cancel() -> Button:
    return Button(Tr("surveys.dates.cancel"), id="cancel", on_click=on_cancel)


def create_dialog() -> Dialog:
    """A new Dialog (a Router) for each Dispatcher."""
    dialog = Dialog(
        Window(
            Format("{text}"),
            RoundCalendar(id="opens", on_click=on_opens, key="opens"),
            _cancel(),
            MessageInput(on_stray),
            state=RoundDates.opens,
            getter=opens_getter,
        ),
        Window(
            Format("{text}"),
            RoundCalendar(id="closes", on_click=on_closes, key="closes"),
            Row(
                SwitchTo(Tr("surveys.dates.back"), id="back", state=RoundDates.opens),
                _cancel(),
            ),
            MessageInput(on_stray),
            state=RoundDates.closes,
            getter=closes_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("surveys.dates.save"), id="save", on_click=on_save),
            Row(
                SwitchTo(Tr("surveys.dates.back"), id="back", state=RoundDates.closes),
                _cancel(),
            ),
            MessageInput(on_stray),
            state=RoundDates.confirm,
            getter=confirm_getter,
        ),
        on_start=on_start,
        name="survey_round_dates",
    )
    # Only the dialog's own buttons reach it, and typed text only when no other form waits.
    dialog.callback_query.filter(F.data.contains(CB_SEP))
    dialog.message.filter(StateFilter(None))
    return dialog
