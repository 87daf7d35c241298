"""The digest as a message: worst first (stalled pairs, pairs needing attention with a
button to each card, low ratings and «не подходит», mentees without a mentor, requests,
pairs without an order or a plan, missing headcounts, the survey round), then the week
in figures against the week before, then the indicators against the year's targets; a
coordinator's adds a line per school. A quiet week is one line."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import PairCb
from bot.ui.digest.callbacks import DigestCb
from services.club.digest import ComingEvent
from services.digest.content import Digest, PairItem, RoundNote, SchoolLine, Week
from services.export.scope import Level
from services.indicators import MIN_ANSWERS, Value
from services.pairs.status import Flag
from services.surveys.rounds import RoundState

LIST_MAX = 5  # pairs listed per kind; the rest are counted
BUTTONS_MAX = 6
SCHOOLS_MAX = 20


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m")


def week_label(week: Week) -> str:
    a, b = week.starts, week.ends
    if a.month == b.month:
        return t("digest.week.same_month", d1=a.day, d2=b.day, month=t(f"digest.month.{b.month}"))
    return t(
        "digest.week.two_months",
        d1=a.day,
        month1=t(f"digest.month.{a.month}"),
        d2=b.day,
        month2=t(f"digest.month.{b.month}"),
    )


def short(name: str | None) -> str:
    """«Петров И. С.» from «Петров Иван Сергеевич»; an erased person is named so."""
    if not name:
        return t("digest.name.erased")
    surname, *rest = name.split()
    return " ".join([surname, *(f"{p[0]}." for p in rest if p)])


def pair_name(item: PairItem) -> str:
    """Plain text (a parameter of t(), which escapes it, or a button's label)."""
    return t("digest.pair").format(
        mentor=short(item.mentor), mentees=", ".join(short(m) for m in item.mentees)
    )


def _flag(flag: Flag) -> str:
    p = flag.params
    if flag.code == "stuck":
        return t("digest.flag.stuck", stage=t(f"digest.stage.{p['kind'].value}"), days=p["days"])
    if flag.code in ("silent", "silent_new", "overdue"):
        return t(f"digest.flag.{flag.code}", days=p["days"])
    if flag.code in ("feedback", "blocked"):
        return t(f"digest.flag.{flag.code}", count=p["n"])
    return t(f"digest.flag.{flag.code}")


def _pairs(items: list[PairItem], many: bool) -> list[str]:
    lines = []
    for item in items[:LIST_MAX]:
        school = t("digest.pair_school", school=item.school_name) if many else ""
        lines.append(
            t(
                "digest.pair_line",
                pair=pair_name(item),
                school=Html(school),
                flags=Html("; ".join(_flag(f) for f in item.health.flags)),
            )
        )
    if len(items) > LIST_MAX:
        lines.append(t("digest.more", count=len(items) - LIST_MAX))
    return lines


def _survey(note: RoundNote, today: dt.date) -> str:
    name = t(f"digest.round.{note.kind.value}")
    if note.state == RoundState.OPEN:
        pct = (
            t("digest.survey.pct", pct=round(100 * note.finished / note.invited))
            if note.invited
            else ""
        )
        return t(
            "digest.survey.open",
            round=name,
            closes=_day(note.closes_on),
            finished=note.finished,
            invited=note.invited,
            pct=Html(pct),
        )
    return t(
        "digest.survey.next",
        round_lower=name.lower(),
        opens=_day(note.opens_on),
        closes=_day(note.closes_on),
        days=(note.opens_on - today).days,
    )


def _indicator(v: Value) -> str:
    name = t(f"indicator.{v.code}.short")
    if v.b is None:
        return t("digest.indicator.no_data", name=name)
    if v.b == 0:
        return t("digest.indicator.zero", name=name)
    if v.hidden or v.percent is None:
        return t("digest.indicator.hidden", name=name, min=MIN_ANSWERS)
    mark = "▫️" if v.met is None else ("✅" if v.met else "⚠️")
    target = t("digest.indicator.target", target=v.target) if v.target is not None else ""
    return t("digest.indicator", mark=mark, name=name, pct=round(v.percent), target=Html(target))


def _school(line: SchoolLine) -> str:
    parts = []
    for key, n in (
        ("stalled", line.stalled),
        ("attention", line.attention),
        ("unmatched", line.unmatched),
        ("pending", line.pending),
        ("no_order", line.no_order),
        ("no_plan", line.no_plan),
        ("no_addendum", line.no_addendum),
    ):
        if n:
            parts.append(t(f"digest.school.{key}", count=n))
    if line.headcount_missing:
        parts.append(t("digest.school.headcount"))
    if not parts:
        parts.append(t("digest.school.ok"))
    if line.held:
        parts.append(t("digest.school.held", count=line.held))
    return t("digest.school_line", name=line.name, parts=Html(" · ".join(parts)))


def _club(event: ComingEvent, d: Digest) -> str:
    when = event.starts_at.astimezone(zoneinfo.ZoneInfo(d.zone)).strftime("%d.%m %H:%M")
    places = f"{event.going}/{event.capacity}" if event.capacity else str(event.going)
    return t("digest.club.line", when=when, title=event.title, going=places)


SPRAVKA_MONTH = 5


def text(d: Digest, *, with_chart: bool = True, with_export: bool = False) -> str:
    week = week_label(d.week)
    if d.quiet_week:
        return t("digest.quiet", week=week, scope=d.scope_name)
    many = d.level == Level.MUNICIPALITY
    lines = [t("digest.head", week=week, scope=d.scope_name)]
    if d.needs_action:
        lines += ["", t("digest.section.action")]
        if d.stalled:
            lines += [t("digest.stalled", count=len(d.stalled)), *_pairs(d.stalled, many)]
        if d.attention:
            lines += [t("digest.attention", count=len(d.attention)), *_pairs(d.attention, many)]
        if d.low:
            lines.append(t("digest.low", count=len(d.low)))
            for low, item in d.low[:LIST_MAX]:
                who = t("digest.low.by_mentor" if low.by_mentor else "digest.low.by_mentee")
                pair = pair_name(item) if item else t("digest.name.erased")
                lines.append(t("digest.low_line", pair=pair, rating=low.rating, who=who))
        if d.not_fit:
            names = ", ".join(pair_name(i) for i in d.not_fit[:LIST_MAX])
            lines.append(t("digest.not_fit", pairs=names))
        if d.unmatched:
            lines.append(t("digest.unmatched", count=d.unmatched))
        if d.pending:
            lines.append(t("digest.pending", count=d.pending))
        if d.no_order:
            lines.append(t("digest.no_order", count=d.no_order))
        if d.no_plan:
            lines.append(t("digest.no_plan", count=d.no_plan))
        if d.no_addendum:
            lines.append(t("digest.no_addendum", count=d.no_addendum))
        if d.missing_headcount:
            if many:
                lines.append(
                    t(
                        "digest.headcount.municipality",
                        year=d.year,
                        count=len(d.missing_headcount),
                        total=len(d.schools),
                    )
                )
            else:
                lines.append(t("digest.headcount.school", year=d.year))
    if d.survey is not None:
        lines += ["", _survey(d.survey, d.week.day)]
    if d.club:
        lines += ["", t("digest.club.title"), *(_club(e, d) for e in d.club)]
    if d.week.day.month == SPRAVKA_MONTH:
        # «Информационная справка»: «Ежегодно, май» (seed 003 5.3).
        key = "digest.spravka.municipality" if many else "digest.spravka.school"
        lines += ["", t(key)]
    lines += [
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
    if d.report is not None and d.indicators:
        lines += [
            "",
            t("digest.section.indicators", year=d.report.year, year_n=d.report.year_index),
            *(_indicator(v) for v in d.indicators),
        ]
    if many and d.schools:
        lines += ["", t("digest.section.schools")]
        lines += [_school(s) for s in d.schools[:SCHOOLS_MAX]]
        if len(d.schools) > SCHOOLS_MAX:
            lines.append(t("digest.schools_more", count=len(d.schools) - SCHOOLS_MAX))
    notes = []
    if with_chart:
        notes.append(t("digest.chart_note"))
    if with_export:
        notes.append(t("digest.export_note"))
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def markup(d: Digest) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    shown = 0
    if not d.quiet_week:
        for mark, items in (("🔴", d.stalled), ("🟠", d.attention)):
            for item in items:
                if shown == BUTTONS_MAX:
                    break
                kb.button(
                    text=t("digest.button.pair").format(mark=mark, pair=pair_name(item)),
                    callback_data=PairCb(action="card", pair_id=item.pair_id),
                )
                shown += 1
    kb.button(text=t("digest.button.settings"), callback_data=DigestCb(action="settings"))
    kb.adjust(1)
    return kb.as_markup()
