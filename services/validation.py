"""Checks for typed answers (the questionnaire, a reason). Pure functions: a value in,
a clean value out, or a FieldError whose code is the locale key of the hint the person sees."""

from __future__ import annotations

import re

from services.errors import DomainError

MAX_NAME = 150
MAX_SHORT = 150
MAX_REQUEST = 1000
MAX_EXPERIENCE = 50
MAX_CAPACITY = 10
MAX_REASON = 500  # why a pair ended, why a stage was skipped

_NAME_PART = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[-'’][A-Za-zА-Яа-яЁё]+)*\.?$")
_HAS_LETTER = re.compile(r"[A-Za-zА-Яа-яЁё]")


class FieldError(DomainError):
    pass


def plain_digits(text: str) -> bool:
    """Only the digits 0–9. ``str.isdigit`` also admits «²» (which ``int`` refuses: a
    crash where a hint was due) and other scripts' digits (which it reads)."""
    return text.isascii() and text.isdigit()


def as_id(text: str) -> int | None:
    """A typed or sent id: up to 18 plain digits (always inside PostgreSQL's bigint),
    else None (a name to search for, or nothing)."""
    return int(text) if plain_digits(text) and len(text) <= 18 else None


def _squash(text: str) -> str:
    return " ".join(text.split())


def full_name(text: str) -> str:
    value = _squash(text)
    if len(value) > MAX_NAME:
        raise FieldError("form.error.too_long", length=len(value), limit=MAX_NAME)
    parts = value.split(" ")
    if not 2 <= len(parts) <= 4 or not all(_NAME_PART.match(p) for p in parts):
        raise FieldError("form.error.full_name")
    # Capitalise each part, keeping hyphenated names («Петрова-Водкина»).
    return " ".join("-".join(s[:1].upper() + s[1:] for s in p.split("-")) for p in parts)


def short_text(text: str, *, limit: int = MAX_SHORT) -> str:
    value = _squash(text)
    if len(value) > limit:
        raise FieldError("form.error.too_long", length=len(value), limit=limit)
    if len(value) < 2 or not _HAS_LETTER.search(value):
        raise FieldError("form.error.short_text")
    return value


def long_text(text: str, *, limit: int = MAX_REQUEST) -> str:
    value = text.strip()
    if len(value) > limit:
        raise FieldError("form.error.too_long", length=len(value), limit=limit)
    if not _HAS_LETTER.search(value):
        raise FieldError("form.error.short_text")
    return value


def _number(text: str) -> int:
    value = text.strip().replace(" ", "")
    if not re.fullmatch(r"\d{1,3}", value):
        raise FieldError("form.error.not_a_number")
    return int(value)


def experience_years(text: str) -> int:
    years = _number(text)
    if years > MAX_EXPERIENCE:
        raise FieldError("form.error.experience_range", limit=MAX_EXPERIENCE)
    return years


def capacity(text: str) -> int:
    value = _number(text)
    if not 1 <= value <= MAX_CAPACITY:
        raise FieldError("form.error.capacity_range", limit=MAX_CAPACITY)
    return value


def clean_reason(text: str) -> str:
    """Why a curator ended a pair or skipped a stage: a few words, on one line."""
    value = _squash(text)
    if len(value) > MAX_REASON:
        raise FieldError("reason.too_long", limit=MAX_REASON, length=len(value))
    if len(value) < 3 or not _HAS_LETTER.search(value):
        raise FieldError("reason.bad")
    return value
