"""/headcount: a school's real headcount for the academic year (the B of coverage), the
three typed questions to enter it, and a coordinator's list of schools."""

from __future__ import annotations

import math

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.surveys.callbacks import HeadcountCb
from services.headcounts import Counts, SchoolHeadcount

SCHOOLS_PER_PAGE = 10
QUESTIONS = ("teachers", "under_35", "young_specialists")


def school_text(info: SchoolHeadcount, *, lead: str | None = None) -> str:
    lines = [t("headcount.head", school=info.school_name, year=info.year)]
    if info.counts is None:
        lines.append(t("headcount.missing"))
    else:
        c = info.counts
        lines.append(
            t(
                "headcount.counts",
                teachers=c.teachers,
                under_35=c.under_35,
                young=c.young_specialists,
            )
        )
        if info.entered_at is not None:
            lines.append(
                t(
                    f"headcount.entered.{info.source or 'bot'}",
                    date=info.entered_at.strftime("%d.%m.%Y"),
                )
            )
    lines += ["", t("headcount.why")]
    text = "\n".join(lines)
    return f"{lead}\n\n{text}" if lead else text


def school_markup(info: SchoolHeadcount) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    key = "headcount.button.enter" if info.counts is None else "headcount.button.change"
    kb.button(text=t(key), callback_data=HeadcountCb(action="edit", s=info.school_id))
    return kb.as_markup()


def question(field: str, year: str, *, lead: str | None = None) -> str:
    text = t(f"headcount.q.{field}", year=year)
    return f"{lead}\n\n{text}" if lead else text


def list_text(name: str, year: str, rows: list[tuple[int, str, Counts | None]], page: int) -> str:
    pages = max(1, math.ceil(len(rows) / SCHOOLS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    entered = sum(1 for _, _, c in rows if c is not None)
    lines = [
        t("headcount.list.head", name=name, year=year, entered=entered, n=len(rows)),
        t("headcount.list.page", page=page + 1, pages=pages),
    ]
    for _, school, counts in rows[page * SCHOOLS_PER_PAGE : (page + 1) * SCHOOLS_PER_PAGE]:
        if counts is None:
            lines.append(t("headcount.list.missing", school=school))
        else:
            lines.append(
                t(
                    "headcount.list.line",
                    school=school,
                    teachers=counts.teachers,
                    under_35=counts.under_35,
                    young=counts.young_specialists,
                )
            )
    lines += ["", t("headcount.list.many")]
    return "\n".join(lines)


def list_markup(
    municipality_id: int, rows: list[tuple[int, str, Counts | None]], page: int
) -> InlineKeyboardMarkup:
    pages = max(1, math.ceil(len(rows) / SCHOOLS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    kb = InlineKeyboardBuilder()
    chunk = rows[page * SCHOOLS_PER_PAGE : (page + 1) * SCHOOLS_PER_PAGE]
    for school_id, school, counts in chunk:
        mark = "✏️ " if counts is None else ""
        kb.button(text=(mark + school)[:60], callback_data=HeadcountCb(action="show", s=school_id))
    nav = 0
    if page > 0:
        kb.button(
            text=t("nav.prev"),
            callback_data=HeadcountCb(action="page", m=municipality_id, p=page - 1),
        )
        nav += 1
    if page + 1 < pages:
        kb.button(
            text=t("nav.next"),
            callback_data=HeadcountCb(action="page", m=municipality_id, p=page + 1),
        )
        nav += 1
    kb.adjust(*([1] * len(chunk)), *([nav] if nav else []))
    return kb.as_markup()
