"""«🎯 Цели»: the year's target of each official indicator of a municipality (its
coordinator) or of one school (its curator): set there, inherited, or the default for
the programme's year; one is changed with a button (5–100 %) or returned to what it
would be without it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.surveys.callbacks import IndicatorsCb, TargetAction, TargetCb
from services.indicators import INDICATORS, TargetLine, TargetSource, TargetsView

CHOICES = tuple(range(5, 101, 5))
CODES = [i.code for i in INDICATORS]


def _cb(view: TargetsView, action: TargetAction, code: str = "", v: int = 0) -> TargetCb:
    c = CODES.index(code) if code else 0
    if view.school_id:
        return TargetCb(action=action, s=view.school_id, c=c, v=v)
    return TargetCb(action=action, m=view.municipality_id, c=c, v=v)


def _line(line: TargetLine, year_index: int) -> str:
    name = t(f"indicator.{line.code}.name")
    value = t("targets.value", value=line.value) if line.value is not None else "—"
    defaults = " / ".join(str(x) for x in line.defaults)
    if not line.defaults:
        # The seeds set no target for it (000's criteria): only one set here counts.
        how = t(f"targets.no_default.{line.source.value}")
    elif line.source == TargetSource.SCHOOL:
        how = t("targets.own_school", defaults=defaults)
    elif line.source == TargetSource.MUNICIPALITY:
        how = t("targets.explicit", defaults=defaults)
    else:
        how = t("targets.default", year_n=year_index, defaults=defaults)
    return t("targets.line", name=name, value=value, how=how)


def list_text(view: TargetsView, *, lead: str | None = None) -> str:
    lines = [lead, ""] if lead else []
    lines.append(t("targets.head", name=view.name, year=view.year, year_n=view.year_index))
    lines.append("")
    lines += [_line(x, view.year_index) for x in view.lines]
    lines += ["", t("targets.foot.school" if view.school_id else "targets.foot")]
    return "\n".join(lines)


def list_markup(view: TargetsView) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for line in view.lines:
        label = t(f"indicator.{line.code}.short")
        value = f"{line.value} %" if line.value is not None else "—"
        kb.button(text=f"{label}: {value}", callback_data=_cb(view, TargetAction.PICK, line.code))
    back = (
        IndicatorsCb(action="page", s=view.school_id)
        if view.school_id
        else IndicatorsCb(action="page", m=view.municipality_id)
    )
    kb.button(text=t("targets.button.indicators"), callback_data=back)
    kb.adjust(1)
    return kb.as_markup()


def pick_text(view: TargetsView, code: str) -> str:
    line = view.line(code)
    return t(
        "targets.pick",
        name=t(f"indicator.{code}.name"),
        year=view.year,
        value=line.value if line.value is not None else "—",
    )


def pick_markup(view: TargetsView, code: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for v in CHOICES:
        kb.button(text=f"{v} %", callback_data=_cb(view, TargetAction.SET, code, v))
    sizes = [5] * (len(CHOICES) // 5)
    own = TargetSource.SCHOOL if view.school_id else TargetSource.MUNICIPALITY
    if view.line(code).source == own:
        kb.button(text=t("targets.button.reset"), callback_data=_cb(view, TargetAction.RESET, code))
        sizes.append(1)
    kb.button(text=t("targets.button.back"), callback_data=_cb(view, TargetAction.LIST))
    sizes.append(1)
    kb.adjust(*sizes)
    return kb.as_markup()
