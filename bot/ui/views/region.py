"""/indicators of a regional coordinator: the region's line (the municipalities summed)
and a row per municipality, a page at a time, with a button to open each municipality
(its report with a row per school, as its coordinator sees it); the regional digest."""

from __future__ import annotations

import math

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import RegionCb
from bot.ui.digest import view as digest_view
from bot.ui.digest.callbacks import DigestCb
from bot.ui.digest.view import _indicator as indicator_line
from bot.ui.digest.view import _school as school_line
from bot.ui.surveys.callbacks import IndicatorsCb
from bot.ui.surveys.indicators import _short as short_figure
from bot.ui.surveys.indicators import figures, name
from services.digest.region import RegionDigest
from services.regions import RegionReport

PER_PAGE = 8


def pages_of(report: RegionReport) -> int:
    return max(1, math.ceil(len(report.municipalities) / PER_PAGE))


def _page(report: RegionReport, page: int) -> int:
    return min(max(page, 0), pages_of(report) - 1)


def report_text(report: RegionReport, page: int = 0) -> str:
    if not report.municipalities:
        return t("region.indicators.empty", name=report.name)
    lines = [
        t("region.indicators.head", name=report.name, year=report.year),
        t("indicators.formula"),
        "",
        t("region.indicators.section.region", count=len(report.municipalities)),
    ]
    for n, v in enumerate(report.values, start=1):
        lines.append(t("indicators.line", num=n, name=name(v.code), figures=Html(figures(v))))
    page = _page(report, page)
    lines += [
        "",
        t("region.indicators.section.by_municipality", page=page + 1, pages=pages_of(report)),
    ]
    for line in report.municipalities[page * PER_PAGE : (page + 1) * PER_PAGE]:
        lines.append(t("indicators.school", name=line.report.name))
        lines.append(" · ".join(short_figure(v) for v in line.report.values))
    return "\n".join(lines)


def report_markup(report: RegionReport, page: int = 0) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    page = _page(report, page)
    sizes: list[int] = []
    for line in report.municipalities[page * PER_PAGE : (page + 1) * PER_PAGE]:
        kb.button(
            text=t("region.indicators.open", name=line.report.name),
            callback_data=IndicatorsCb(action="page", m=line.municipality_id),
        )
        sizes.append(1)
    if report.municipalities:
        kb.button(
            text=t("indicators.button.method"),
            callback_data=IndicatorsCb(action="method", m=report.municipalities[0].municipality_id),
        )
        sizes.append(1)
    nav = 0
    if page > 0:
        kb.button(text=t("nav.prev"), callback_data=RegionCb(r=report.region_id, p=page - 1))
        nav += 1
    if page + 1 < pages_of(report):
        kb.button(text=t("nav.next"), callback_data=RegionCb(r=report.region_id, p=page + 1))
        nav += 1
    if nav:
        sizes.append(nav)
    kb.adjust(*sizes)
    return kb.as_markup()


def with_back(markup: InlineKeyboardMarkup, region_id: int) -> InlineKeyboardMarkup:
    """A municipality's indicators opened from the region: «◀️ Регион» as the last row."""
    back = InlineKeyboardButton(
        text=t("region.indicators.back"), callback_data=RegionCb(r=region_id).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, [back]])


# --- the regional coordinator's digest ---------------------------------------------------

MUNICIPALITIES_MAX = 30


def digest_text(d: RegionDigest, *, with_export: bool = False) -> str:
    """The week in figures and the indicators of the region, then a municipality a line
    (worst first), in the words of a coordinator's digest."""
    lines = [
        t("region.digest.head", week=digest_view.week_label(d.week), scope=d.scope_name),
        "",
        t("digest.section.week"),
        t(
            "digest.week_figures",
            held=d.held[0],
            held_before=d.held[1],
            feedback=d.feedback[0],
            feedback_before=d.feedback[1],
            new=d.newcomers[0],
            new_before=d.newcomers[1],
        ),
    ]
    if d.indicators:
        lines += [
            "",
            t("region.digest.indicators", year=d.year),
            *(indicator_line(v) for v in d.indicators),
        ]
    if d.municipalities:
        lines += ["", t("region.digest.municipalities")]
        lines += [school_line(m) for m in d.municipalities[:MUNICIPALITIES_MAX]]
        if len(d.municipalities) > MUNICIPALITIES_MAX:
            more = len(d.municipalities) - MUNICIPALITIES_MAX
            lines.append(t("region.digest.more", count=more))
    else:
        lines += ["", t("region.digest.empty")]
    if with_export:
        lines += ["", t("digest.export_note")]
    return "\n".join(lines)


def digest_markup() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("digest.button.settings"), callback_data=DigestCb(action="settings"))
    return kb.as_markup()
