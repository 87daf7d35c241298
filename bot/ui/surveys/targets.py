"""«🎯 Цели»: a coordinator sees the year's target of each official indicator of the
municipality (set by them, or the default for the programme's year) and changes one
with a button (5–100 %), or returns it to the default."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.surveys.callbacks import IndicatorsCb, TargetAction, TargetCb
from services.indicators import INDICATORS, MunicipalityTargets, TargetLine

CHOICES = tuple(range(5, 101, 5))


def _line(line: TargetLine, year_index: int) -> str:
    name = t(f"indicator.{line.code}.name")
    value = t("targets.value", value=line.value) if line.value is not None else "—"
    defaults = " / ".join(str(x) for x in line.defaults)
    if line.explicit:
        how = t("targets.explicit", defaults=defaults)
    else:
        how = t("targets.default", year_n=year_index, defaults=defaults)
    return t("targets.line", name=name, value=value, how=how)


def list_text(mt: MunicipalityTargets, *, lead: str | None = None) -> str:
    lines = [lead, ""] if lead else []
    lines.append(t("targets.head", name=mt.name, year=mt.year, year_n=mt.year_index))
    lines.append("")
    lines += [_line(x, mt.year_index) for x in mt.lines]
    lines += ["", t("targets.foot")]
    return "\n".join(lines)


def list_markup(mt: MunicipalityTargets) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    codes = [i.code for i in INDICATORS]
    for line in mt.lines:
        label = t(f"indicator.{line.code}.short")
        value = f"{line.value} %" if line.value is not None else "—"
        kb.button(
            text=f"{label}: {value}",
            callback_data=TargetCb(
                action=TargetAction.PICK, m=mt.municipality_id, c=codes.index(line.code)
            ),
        )
    kb.button(
        text=t("targets.button.indicators"),
        callback_data=IndicatorsCb(action="page", m=mt.municipality_id),
    )
    kb.adjust(1)
    return kb.as_markup()


def pick_text(mt: MunicipalityTargets, index: int) -> str:
    line = mt.lines[index]
    return t(
        "targets.pick",
        name=t(f"indicator.{line.code}.name"),
        year=mt.year,
        value=line.value if line.value is not None else "—",
    )


def pick_markup(mt: MunicipalityTargets, index: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    m = mt.municipality_id
    for v in CHOICES:
        kb.button(text=f"{v} %", callback_data=TargetCb(action=TargetAction.SET, m=m, c=index, v=v))
    line = mt.lines[index]
    sizes = [5] * (len(CHOICES) // 5)
    if line.explicit:
        kb.button(
            text=t("targets.button.reset"),
            callback_data=TargetCb(action=TargetAction.RESET, m=m, c=index),
        )
        sizes.append(1)
    kb.button(text=t("targets.button.back"), callback_data=TargetCb(action=TargetAction.LIST, m=m))
    sizes.append(1)
    kb.adjust(*sizes)
    return kb.as_markup()
