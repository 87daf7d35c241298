"""Checks on typed input: a place, a link, a topic, a reason."""

from __future__ import annotations

import re

from services.errors import DomainError

MAX_PLACE = 300
MAX_TOPIC = 300
MAX_REASON = 1000

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


def clean_reason(text: str) -> str:
    value = text.strip()
    if len(value) > MAX_REASON:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_REASON)
    if len(value) < 3 or not _HAS_LETTER_OR_DIGIT.search(value):
        raise DomainError("meeting.error.reason")
    return value
