"""Checks on input: a place, a link, a topic, and the times a meeting may start at."""

from __future__ import annotations

import datetime as dt
import re

from services.errors import DomainError

MAX_PLACE = 300
MAX_TOPIC = 300

# Time buttons: 08:00 … 19:30 local, every 30 minutes.
FIRST_SLOT = dt.time(8, 0)
LAST_SLOT = dt.time(19, 30)

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)
_HAS_LETTER_OR_DIGIT = re.compile(r"[0-9A-Za-zА-Яа-яЁё]")


def clean_place(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_PLACE:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_PLACE)
    if len(value) < 2 or not _HAS_LETTER_OR_DIGIT.search(value):
        raise DomainError("meeting.error.place")
    return value


def clean_link(text: str) -> str:
    value = text.strip()
    if len(value) > MAX_PLACE:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_PLACE)
    if not _URL.match(value):
        raise DomainError("meeting.error.link")
    return value


def clean_topic(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_TOPIC:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_TOPIC)
    if len(value) < 2 or not _HAS_LETTER_OR_DIGIT.search(value):
        raise DomainError("meeting.error.topic")
    return value


def slots() -> list[str]:
    """The time buttons, "HH:MM" local."""
    out = []
    t = dt.datetime.combine(dt.date(2000, 1, 1), FIRST_SLOT)
    end = dt.datetime.combine(dt.date(2000, 1, 1), LAST_SLOT)
    while t <= end:
        out.append(t.strftime("%H:%M"))
        t += dt.timedelta(minutes=30)
    return out
