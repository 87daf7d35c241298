"""Typed input of the pair screens: an order «№ 45 от 01.09.2026», the date a pause
lasts until."""

from __future__ import annotations

import datetime as dt
import re

from services.errors import DomainError

MAX_PAUSE_DAYS = 183

_DATE = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?![\d.])")
_ORDER_NUMBER = re.compile(r"[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё/\-]{0,29}")


def _date_from(match: re.Match[str]) -> dt.date | None:
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_order(text: str, today: dt.date) -> tuple[str, dt.date]:
    """«№ 45 от 01.09.2026», «45-о от 1.9.26», «от 01.09.2026 № 45» → ("45", date)."""
    value = " ".join(text.split())
    dates = list(_DATE.finditer(value))
    if len(dates) != 1:
        raise DomainError("pairs.order.bad")
    day = _date_from(dates[0])
    if day is None:
        raise DomainError("pairs.order.bad_date")
    if not dt.date(2000, 1, 1) <= day <= today + dt.timedelta(days=366):
        raise DomainError("pairs.order.bad_date")
    rest = (value[: dates[0].start()] + " " + value[dates[0].end() :]).strip()
    rest = re.sub(r"(?i)^приказ\s*", "", rest)
    rest = re.sub(r"(?i)(^|\s)от(\s|$)", " ", rest)
    rest = re.sub(r"(?i)^(№|n|no\.?|#)\s*", "", rest.strip()).strip()
    rest = re.sub(r"(?i)^(№|n|no\.?|#)\s*", "", rest).strip()
    if not _ORDER_NUMBER.fullmatch(rest) or not re.search(r"\d", rest):
        raise DomainError("pairs.order.bad")
    return rest, day


def parse_pause_until(text: str, today: dt.date) -> dt.date:
    value = text.strip()
    found = _DATE.fullmatch(value)
    if found is None:
        raise DomainError("pairs.pause.bad_date")
    day = _date_from(found)
    if day is None:
        raise DomainError("pairs.pause.bad_date")
    if day <= today:
        raise DomainError("pairs.pause.past")
    if day > today + dt.timedelta(days=MAX_PAUSE_DAYS):
        raise DomainError("pairs.pause.too_far", days=MAX_PAUSE_DAYS)
    return day
