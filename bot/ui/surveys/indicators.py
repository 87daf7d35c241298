"""/indicators: each official indicator with its name as in the seeds, A, B, N %, the
year's target and ✅/⚠️; «нет данных» where B is unknown; «ответили X из B» beside the
survey-based ones; nothing from fewer than three answers; the bot's own health figures
apart. A coordinator sees the municipality (its indicators and the schools' summed),
then the schools a page at a time; «Методика расчёта» explains each."""

from __future__ import annotations

import math

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.surveys.callbacks import IndicatorsCb, TargetAction, TargetCb
from services.indicators import BY_CODE, HEALTH, MIN_ANSWERS, Level, Report, Value

SCHOOLS_PER_PAGE = 8


def pct(value: float) -> str:
    return f"{round(value)} %"


def name(code: str) -> str:
    return t(f"indicator.{code}.name")


def _mark(v: Value) -> str:
    if v.met is None:
        return ""
    return " ✅" if v.met else " ⚠️"


def _target(v: Value) -> str:
    return t("indicators.target", target=v.target) if v.target is not None else ""


def figures(v: Value) -> str:
    """A, B, N, the target and the mark, as one line (HTML)."""
    parts: list[str] = []
    if v.b is None:
        parts.append(t("indicators.no_data"))
    elif v.b == 0:
        parts.append(t("indicators.zero_b", a=v.a or 0))
    elif v.hidden or v.percent is None:
        parts.append(t("indicators.hidden", answered=v.answered or 0, b=v.b, min=MIN_ANSWERS))
    else:
        parts.append(t("indicators.value", a=v.a, b=v.b, pct=pct(v.percent)) + _mark(v))
    target = _target(v)
    if target:
        parts.append(target)
    if v.answered is not None and v.b and not v.hidden:
        parts.append(t("indicators.answered", answered=v.answered, b=v.b))
    if v.known is not None and v.schools is not None and v.known < v.schools:
        parts.append(t("indicators.partial", known=v.known, schools=v.schools))
    if v.left_out:
        parts.append(t("indicators.left_out", n=v.left_out))
    return " · ".join(parts)


def _block(n: int, v: Value) -> str:
    return t("indicators.line", num=n, name=name(v.code), figures=Html(figures(v)))


def _health(values: list[Value]) -> list[str]:
    lines = [t("indicators.health.head")]
    for v in values:
        if v.b:
            line = t(
                "indicators.health.line",
                name=name(v.code),
                a=v.a or 0,
                b=v.b,
                pct=pct(v.percent or 0),
            )
        else:
            line = t("indicators.health.empty", name=name(v.code))
        lines.append(line)
    return lines


def _short(v: Value) -> str:
    label = t(f"indicator.{v.code}.short")
    if v.b is None:
        return t("indicators.short.no_data", label=label)
    if v.b == 0:
        return t("indicators.short.zero_b", label=label)
    if v.hidden or v.percent is None:
        return t("indicators.short.hidden", label=label, min=MIN_ANSWERS)
    text = t("indicators.short.value", label=label, a=v.a, b=v.b, pct=pct(v.percent)) + _mark(v)
    if v.answered is not None:
        text += t("indicators.short.answered", answered=v.answered)
    return text


def pages_of(report: Report) -> int:
    return max(1, math.ceil(len(report.schools) / SCHOOLS_PER_PAGE))


def report_text(report: Report, page: int = 0) -> str:
    head_key = (
        "indicators.head.school" if report.level == Level.SCHOOL else "indicators.head.municipality"
    )
    lines = [
        t(head_key, name=report.name, year=report.year, year_n=report.year_index),
        t("indicators.formula"),
    ]
    if report.level == Level.SCHOOL:
        lines.append("")
    shown: Level | None = None
    for n, v in enumerate(report.values, start=1):
        level = BY_CODE[v.code].level
        if report.level == Level.MUNICIPALITY and level != shown:
            lines += ["", t(f"indicators.section.{level.value}")]
            shown = level
        lines.append(_block(n, v))
    lines += ["", *_health(report.health)]
    if report.level == Level.MUNICIPALITY and report.schools:
        lines += ["", schools_text(report, page)]
    return "\n".join(lines)


def schools_text(report: Report, page: int) -> str:
    """One page of a municipality's schools, each on two lines."""
    pages = pages_of(report)
    page = min(max(page, 0), pages - 1)
    lines = [t("indicators.section.by_school", page=page + 1, pages=pages)]
    for school in report.schools[page * SCHOOLS_PER_PAGE : (page + 1) * SCHOOLS_PER_PAGE]:
        lines.append(t("indicators.school", name=school.name))
        lines.append(" · ".join(_short(v) for v in school.values))
    return "\n".join(lines)


def report_markup(
    report: Report,
    school_id: int,
    municipality_id: int,
    page: int = 0,
    *,
    other_school: bool = False,
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("indicators.button.method"),
        callback_data=IndicatorsCb(action="method", s=school_id, m=municipality_id),
    )
    sizes = [1]
    if other_school:
        kb.button(text=t("school_pick.other"), callback_data=IndicatorsCb(action="pick"))
        sizes.append(1)
    kb.button(
        text=t("targets.button.open"),
        callback_data=TargetCb(action=TargetAction.LIST, m=municipality_id)
        if report.level == Level.MUNICIPALITY
        else TargetCb(action=TargetAction.LIST, s=school_id),
    )
    sizes.append(1)
    if report.level == Level.MUNICIPALITY:
        pages = pages_of(report)
        page = min(max(page, 0), pages - 1)
        nav = 0
        if page > 0:
            kb.button(
                text=t("nav.prev"),
                callback_data=IndicatorsCb(action="page", m=municipality_id, p=page - 1),
            )
            nav += 1
        if page + 1 < pages:
            kb.button(
                text=t("nav.next"),
                callback_data=IndicatorsCb(action="page", m=municipality_id, p=page + 1),
            )
            nav += 1
        if nav:
            sizes.append(nav)
    kb.adjust(*sizes)
    return kb.as_markup()


def method_text(report: Report) -> str:
    lines = [t("indicators.method.head")]
    codes = [v.code for v in report.values] + [i.code for i in HEALTH]
    for code in codes:
        indicator = BY_CODE[code]
        lines += ["", t("indicators.method.name", name=name(code))]
        lines.append(t(f"indicator.{code}.method", threshold=report.satisfied_from))
        lines.append(t("indicators.method.collect", text=t(f"indicator.{code}.collect")))
        if indicator.targets:
            lines.append(
                t(
                    "indicators.method.targets",
                    targets=" / ".join(str(x) for x in indicator.targets),
                )
            )
    lines += ["", t("indicators.method.foot", min=MIN_ANSWERS)]
    return "\n".join(lines)
