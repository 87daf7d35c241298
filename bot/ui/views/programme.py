"""What /programme looks like: the programme's rhythm and thresholds in force, a button
per setting, and each setting's choices (the values the bot offers are ours: the seeds
name the meetings, not their rhythm)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import ProgrammeAction, ProgrammeCb
from bot.ui.dates import day
from services.clock import parse_rest_days
from services.programme_settings import Changes, Rules

LEVELS = {"school": "s", "municipality": "m"}
LEVEL_OF = {code: level for level, code in LEVELS.items()}


@dataclass(frozen=True)
class Setting:
    code: str  # in the button's data
    choices: tuple[Changes, ...]


def _quiet(start: int, end: int) -> Changes:
    return Changes(quiet_from=dt.time(start, 0), quiet_to=dt.time(end, 0))


SETTINGS = (
    Setting("interval", tuple(Changes(meeting_interval_days=n) for n in (7, 10, 14, 21, 30))),
    Setting("feedback", tuple(Changes(feedback_deadline_hours=n) for n in (24, 48, 72))),
    Setting("silent", tuple(Changes(silent_after_days=n) for n in (14, 21, 30, 45))),
    Setting("stuck", tuple(Changes(stage_stuck_days=n) for n in (21, 30, 45, 60))),
    Setting("quiet", (_quiet(20, 9), _quiet(21, 8), _quiet(22, 8), _quiet(22, 7))),
    # A five-day week, or a six-day one (schools that teach on Saturdays).
    Setting("rest", (Changes(rest_days="6,7"), Changes(rest_days="7"))),
)
BY_CODE = {s.code: s for s in SETTINGS}
WEEKS = {frozenset({6, 7}): "programme.week.five", frozenset({7}): "programme.week.six"}


def value_text(code: str, r: Rules | Changes) -> str:
    """One setting's value as a phrase: «каждые 14 дней», «21:00–08:00»."""
    if code == "interval":
        return t("programme.value.interval", n=r.meeting_interval_days)
    if code == "feedback":
        return t("programme.value.feedback", n=r.feedback_deadline_hours)
    if code == "silent":
        return t("programme.value.silent", n=r.silent_after_days)
    if code == "stuck":
        return t("programme.value.stuck", n=r.stage_stuck_days)
    if code == "rest":
        days = parse_rest_days(r.rest_days) if isinstance(r.rest_days, str) else r.rest_days
        names = ", ".join(t(f"programme.weekday.{d}") for d in sorted(days or ()))
        week = WEEKS.get(frozenset(days or ()))
        return t(week, days=names) if week else names or t("programme.no_rest_days")
    assert r.quiet_from is not None and r.quiet_to is not None
    return f"{r.quiet_from:%H:%M}–{r.quiet_to:%H:%M}"


def _is_current(code: str, choice: Changes, r: Rules) -> bool:
    return value_text(code, choice) == value_text(code, r)


def period_text(starts: dt.date, ends: dt.date) -> str:
    return f"{day(starts)}–{day(ends)}"


def rules_text(r: Rules, saved: str | None = None) -> str:
    lines = [
        t("programme.title", name=r.name, year=r.year),
        t("programme.period", period=period_text(r.starts_on, r.ends_on)),
        "",
        *(t(f"programme.line.{s.code}", value=value_text(s.code, r)) for s in SETTINGS),
        "",
        t("programme.hint.municipality", n=r.schools)
        if r.level == "municipality"
        else t("programme.hint.school"),
    ]
    if saved:
        lines.insert(0, saved + "\n")
    return "\n".join(lines)


def rules_markup(r: Rules) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("programme.button.period"),
        callback_data=ProgrammeCb(
            action=ProgrammeAction.PERIOD, lvl=LEVELS[r.level], id=r.scope_id
        ),
    )
    for s in SETTINGS:
        kb.button(
            text=t(f"programme.button.{s.code}"),
            callback_data=ProgrammeCb(
                action=ProgrammeAction.FIELD, lvl=LEVELS[r.level], id=r.scope_id, f=s.code
            ),
        )
    kb.adjust(1)
    return kb.as_markup()


def setting_text(r: Rules, code: str) -> str:
    return t(f"programme.ask.{code}", value=value_text(code, r))


def setting_markup(r: Rules, code: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for i, choice in enumerate(BY_CODE[code].choices):
        mark = "✓ " if _is_current(code, choice, r) else ""
        kb.button(
            text=mark + value_text(code, choice),
            callback_data=ProgrammeCb(
                action=ProgrammeAction.SET, lvl=LEVELS[r.level], id=r.scope_id, f=code, i=i
            ),
        )
    kb.button(
        text=t("programme.button.back"),
        callback_data=ProgrammeCb(action=ProgrammeAction.VIEW, lvl=LEVELS[r.level], id=r.scope_id),
    )
    kb.adjust(1)
    return kb.as_markup()
