"""Dates and times as a person reads them, in their school's time zone. Month and
weekday names and a zone's city come from Babel's CLDR data in the current locale."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from aiogram.utils.i18n import I18n
from babel.dates import format_date, get_timezone_location

from bot.i18n import DEFAULT_LOCALE, t


def _locale() -> str:
    i18n = I18n.get_current(no_error=True)
    return i18n.current_locale if i18n is not None else DEFAULT_LOCALE


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def local_day(at: dt.datetime, zone: str) -> str:
    return day(at.astimezone(zoneinfo.ZoneInfo(zone)).date())


def local_time(at: dt.datetime, zone: str) -> str:
    return at.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")


def weekday_short(value: dt.date) -> str:
    """«пн»."""
    return format_date(value, "EEE", locale=_locale())


def month_name(value: dt.date) -> str:
    """«январь» (the nominative, as in a heading or «январь 2027»)."""
    return format_date(value, "LLLL", locale=_locale())


def when(at: dt.datetime, zone: str) -> str:
    local = at.astimezone(zoneinfo.ZoneInfo(zone))
    return t(
        "meeting.when",
        weekday=weekday_short(local.date()),
        date=local.strftime("%d.%m.%Y"),
        time=local.strftime("%H:%M"),
    )


def day_text(value: dt.date) -> str:
    return t("meeting.day", weekday=weekday_short(value), date=day(value))


def zone_city(zone: str) -> str:
    """The city a time zone is named after, in the locale: «Екатеринбург»."""
    return get_timezone_location(zone, locale=_locale(), return_city=True)
