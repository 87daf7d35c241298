"""/hours: the mentor's month and the two taps to log work besides meetings; the
monthly table for the curator."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import HoursCb
from models import ActivityKind
from services import hours
from services.hours import MentorMonth, SchoolMonth

View = tuple[str, InlineKeyboardMarkup | None]

MONTHS = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


def duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    if h and m:
        return t("hours.hm", h=h, m=m)
    return t("hours.h", h=h) if h else t("hours.m", m=m)


def kind_name(kind: ActivityKind) -> str:
    return t(f"hours.kind.{kind.value}")


def _kinds_markup() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for kind in hours.KINDS:
        kb.button(text=kind_name(kind), callback_data=HoursCb(kind=kind.value))
    kb.adjust(1)
    return kb.as_markup()


def month_view(month: MentorMonth, month_name: str, lead: str | None = None) -> View:
    lines = [t("hours.title", month=month_name)]
    lines.append(t("hours.meetings", n=month.meetings, time=duration(month.meeting_minutes)))
    for kind in hours.KINDS:
        if month.by_kind.get(kind):
            lines.append(
                t("hours.kind_line", kind=kind_name(kind), time=duration(month.by_kind[kind]))
            )
    lines.append(t("hours.total", time=duration(month.total_minutes)))
    lines.append("")
    lines.append(t("hours.log_hint"))
    text = "\n".join(lines)
    return (f"{lead}\n\n{text}" if lead else text), _kinds_markup()


def minutes_view(kind: ActivityKind) -> View:
    kb = InlineKeyboardBuilder()
    for m in hours.MINUTES:
        kb.button(text=duration(m), callback_data=HoursCb(kind=kind.value, minutes=m))
    kb.adjust(len(hours.MINUTES))
    return t("hours.ask_minutes", kind=kind_name(kind)), kb.as_markup()


def month_title(first: dt.date) -> str:
    return f"{MONTHS[first.month - 1]} {first.year}"


def month_name(found: SchoolMonth) -> str:
    return month_title(found.month)


def table_text(found: SchoolMonth) -> str:
    lines = [t("hours.table.title", school=found.school_name, month=month_name(found))]
    for n, r in enumerate(found.rows, start=1):
        kinds = "; ".join(
            f"{kind_name(k).lower()} {duration(r.by_kind[k])}"
            for k in hours.KINDS
            if r.by_kind.get(k)
        )
        lines.append(
            t(
                "hours.table.row",
                num=n,
                name=r.name or t("pairs.name.erased"),
                pairs=r.pairs,
                meetings=r.meetings,
                meeting_time=duration(r.meeting_minutes),
                kinds="; " + kinds if kinds else "",
                total=duration(r.total_minutes),
            )
        )
    lines.append(t("hours.table.total", time=duration(sum(r.total_minutes for r in found.rows))))
    return "\n".join(lines)
