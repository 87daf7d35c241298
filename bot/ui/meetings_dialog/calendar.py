"""aiogram-dialog's Calendar in the current locale (Babel's month and weekday names),
opening on the month of today in the school's zone by the bot's clock (tests inject
the clock), with today marked «📍» and the zoom-out button named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import CalendarScope
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScopeView,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Text

from bot.i18n import t
from bot.ui.dates import month_name, weekday_short
from bot.ui.dialog_data import clock_of
from bot.ui.safe_calendar import SafeCalendar
from services.clock import local_today


def today_of(manager: DialogManager) -> dt.date:
    clock = clock_of(manager)
    return local_today(clock.now(), str(manager.dialog_data["zone"]))


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


class _DayText(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return f"📍{day.day}" if day == today_of(manager) else str(day.day)


class _MonthsText(Text):
    """The zoom-out button (aiogram-dialog's «🔍») says what it does."""

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return t("meeting.dlg.cal.months")


class _WeekdayText(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return _title(weekday_short(data["date"]))


class _MonthText(Text):
    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.pattern = pattern

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: dt.date = data["date"]
        return self.pattern.format(month=_title(month_name(day)), year=day.year)


class MeetingCalendar(SafeCalendar):
    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data,
                date_text=_DayText(),
                today_text=_DayText(),
                weekday_text=_WeekdayText(),
                header_text=_MonthText("🗓 {month} {year}"),
                zoom_out_text=_MonthsText(),
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
            self.set_offset(today_of(manager), manager)
        return await super()._render_keyboard(data, manager)
