"""Typed values from cells: whole numbers, dates, times, academic years, audiences.

Excel gives numbers, dates and times as such; CSV gives text in Russian habits
(«01.09.2026», «15.00», «1 234»). Each reader takes either and raises CellError with a
locale key when the text says something else."""

from __future__ import annotations

import datetime as dt
import re

from services.imports.errors import CellError
from services.imports.text import clean
from services.validation import plain_digits

_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:\s+г\.?)?\b")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
_WORDY_DATE = re.compile(r"^(\d{1,2})\s+([а-я]+)\s+(\d{4})(?:\s*г(?:ода|\.)?)?\b")
_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*[:.\-ч]\s*(\d{2})(?!\d)|(?<!\d)(\d{1,2})\s*ч(?:ас)?")
_YEAR = re.compile(r"^(\d{4})\s*[/\-]\s*(\d{2}|\d{4})(?:\s*(?:уч(?:ебный)?\.?\s*г(?:од)?\.?))?$")


def integer(value: object) -> int:
    """A count of people: «12», 12, 12.0, «1 234»; never negative or fractional."""
    if isinstance(value, bool):
        raise CellError("imports.err.integer", value=clean(value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError("imports.err.integer", value=clean(value))
        number = int(value)
    else:
        text = clean(value).replace(" ", "")
        if text.endswith((".0", ",0")):
            text = text[:-2]
        if not plain_digits(text.lstrip("-")) or len(text) > 18:
            raise CellError("imports.err.integer", value=clean(value))
        number = int(text)
    if number < 0:
        raise CellError("imports.err.integer", value=clean(value))
    return number


def _month(word: str) -> int | None:
    for stem, number in _MONTHS.items():
        if word.startswith(stem) and (stem != "ма" or word in ("мая", "май")):
            return number
    return None


def date(value: object) -> dt.date:
    """«01.09.2026», «1.9.26», «2026-09-01», «1 сентября 2026 г.», or an Excel date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean(value).casefold()
    try:
        if m := _NUMERIC_DATE.match(text):
            day, month, year = (int(g) for g in m.groups())
            return dt.date(year + 2000 if year < 100 else year, month, day)
        if m := _ISO_DATE.match(text):
            year, month, day = (int(g) for g in m.groups())
            return dt.date(year, month, day)
        if (m := _WORDY_DATE.match(text)) and (named := _month(m.group(2))):
            return dt.date(int(m.group(3)), named, int(m.group(1)))
    except ValueError:
        pass
    raise CellError("imports.err.date", value=clean(value))


def time_of_day(value: object) -> dt.time:
    """«15:00», «15.00», «15-00», «15 ч», the start of «15:00–16:30», or an Excel time."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = clean(value).casefold()
    if m := _TIME.search(text):
        hour = int(m.group(1) or m.group(3))
        minute = int(m.group(2) or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise CellError("imports.err.time", value=clean(value))


def time_in(value: object) -> dt.time | None:
    """The time a date cell also holds («12.09.2026 15:00», an Excel date-time), if any."""
    if isinstance(value, dt.datetime):
        return value.time() if value.time() != dt.time(0, 0) else None
    if isinstance(value, dt.date):
        return None
    text = clean(value)
    rest = _NUMERIC_DATE.sub("", text, count=1)
    rest = rest if rest != text else _ISO_DATE.sub("", text, count=1)
    if rest == text or not rest.strip():
        return None
    try:
        return time_of_day(rest)
    except CellError:
        return None


def academic_year(value: object) -> str:
    """«2025/2026», «2025-2026», «2025–26», «2025/26 уч. год» → «2025/2026»."""
    text = clean(value).casefold()
    if m := _YEAR.match(text):
        first, second = int(m.group(1)), int(m.group(2))
        if second < 100:
            second += first // 100 * 100
        if second == first + 1:
            return f"{first}/{second}"
    raise CellError("imports.err.academic_year", value=clean(value))


# Who an event is for; the plan may name several, or «все».
AUDIENCES: dict[str, tuple[str, ...]] = {
    "mentees": (
        "молодые специалисты",
        "молодых специалистов",
        "молодые педагоги",
        "молодых педагогов",
        "молодые учителя",
        "наставляемые",
        "наставляемых",
        "мс",
    ),
    "mentors": ("наставники", "наставников"),
    "curators": ("кураторы", "кураторов"),
}
_ALL = ("все", "для всех", "все участники", "всех участников")
_SPLIT = re.compile(r"\s*(?:[,;/+]|\bи\b)\s*")


def audience(value: object) -> frozenset[str]:
    """«молодые специалисты, наставники» → {mentees, mentors}; «все» → all three."""
    text = clean(value).casefold().replace("ё", "е").strip(" .")
    if text in _ALL:
        return frozenset(AUDIENCES)
    found: set[str] = set()
    for part in filter(None, _SPLIT.split(text)):
        code = next((c for c, names in AUDIENCES.items() if part.strip(" .") in names), None)
        if code is None:
            raise CellError("imports.err.audience", value=clean(value))
        found.add(code)
    if not found:
        raise CellError("imports.err.audience", value=clean(value))
    return frozenset(found)
