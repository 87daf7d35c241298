"""/surveys for curators and coordinators: a school's rounds with dates and the live
response rate; a municipality's totals and its schools; a round's results (means,
distributions as bars, texts without names, expectation → result)."""

from __future__ import annotations

import datetime as dt
import math

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.render import free_text
from bot.ui.surveys.answering import round_title
from bot.ui.surveys.callbacks import RoundDatesCb, RoundResultsCb, SurveysScopeCb
from models.surveys import ROUND_ORDER, DeficitChange, ItemKind, RoundKind
from services.surveys.results import (
    MIN_ANSWERS,
    ItemResult,
    MunicipalityRounds,
    Rate,
    Results,
    RoleResults,
    SchoolRounds,
)
from services.surveys.rounds import RoundState

SCHOOLS_PER_PAGE = 10
BAR_WIDTH = 10
TEXT_CUT = 400


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def rate_text(rate: Rate) -> str:
    if not rate.invited:
        return t("surveys.rate.none")
    text = t("surveys.rate", finished=rate.finished, invited=rate.invited, pct=rate.percent)
    if rate.started:
        text += t("surveys.rate.started", n=rate.started)
    return text


def school_text(info: SchoolRounds) -> str:
    key = "surveys.instrument.own" if info.own_instrument else "surveys.instrument.default"
    lines = [
        t("surveys.school.head", school=info.school_name, year=info.year),
        t(key, title=info.instrument_title, version=info.instrument_version),
        "",
    ]
    for r in info.rounds:
        state = t(f"surveys.state.{r.state.value}", date=day(r.opens_on))
        if r.kind == RoundKind.FINAL and r.state == RoundState.UPCOMING:
            state += t("surveys.state.final_early")
        lines.append(
            t(
                "surveys.round.line",
                title=round_title(r.kind),
                opens=day(r.opens_on),
                closes=day(r.closes_on),
                state=state,
            )
        )
        lines.append(rate_text(r.rate))
    return "\n".join(lines)


def school_markup(info: SchoolRounds) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for r in info.rounds:
        kb.button(
            text=t(f"surveys.button.dates.{r.kind.value}"),
            callback_data=RoundDatesCb(round_id=r.round_id),
        )
    for r in info.rounds:
        kb.button(
            text=t(f"surveys.button.results.{r.kind.value}"),
            callback_data=RoundResultsCb(kind=r.kind, s=info.school_id),
        )
    kb.adjust(3, 3)
    return kb.as_markup()


def municipality_text(info: MunicipalityRounds, page: int) -> str:
    lines = [t("surveys.mun.head", name=info.name, year=info.year, n=len(info.schools)), ""]
    for kind in ROUND_ORDER:
        lines.append(
            t("surveys.mun.total", title=round_title(kind), rate=rate_text(info.totals[kind]))
        )
    pages = max(1, math.ceil(len(info.schools) / SCHOOLS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    lines += ["", t("surveys.mun.schools", page=page + 1, pages=pages)]
    for s in info.schools[page * SCHOOLS_PER_PAGE : (page + 1) * SCHOOLS_PER_PAGE]:
        parts = [
            t("surveys.mun.school_rate", finished=s.rates[k].finished, invited=s.rates[k].invited)
            if s.rates[k].invited
            else "—"
            for k in ROUND_ORDER
        ]
        lines.append(t("surveys.mun.school", name=s.name, rates=" · ".join(parts)))
    lines += ["", t("surveys.mun.legend")]
    return "\n".join(lines)


def municipality_markup(info: MunicipalityRounds, page: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for kind in ROUND_ORDER:
        kb.button(
            text=t(f"surveys.button.results.{kind.value}"),
            callback_data=RoundResultsCb(kind=kind, m=info.municipality_id),
        )
    pages = max(1, math.ceil(len(info.schools) / SCHOOLS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = info.schools[page * SCHOOLS_PER_PAGE : (page + 1) * SCHOOLS_PER_PAGE]
    for s in chunk:
        kb.button(text=s.name[:60], callback_data=SurveysScopeCb(s=s.school_id))
    nav = 0
    if page > 0:
        kb.button(
            text=t("nav.prev"), callback_data=SurveysScopeCb(m=info.municipality_id, p=page - 1)
        )
        nav += 1
    if page + 1 < pages:
        kb.button(
            text=t("nav.next"), callback_data=SurveysScopeCb(m=info.municipality_id, p=page + 1)
        )
        nav += 1
    kb.adjust(3, *([1] * len(chunk)), *([nav] if nav else []))
    return kb.as_markup()


# --- results --------------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _bars(result: ItemResult) -> list[str]:
    top = max(result.counts.values(), default=0)
    lines = []
    for value in range(10, 0, -1):
        n = result.counts.get(value, 0)
        bar = "▇" * (round(BAR_WIDTH * n / top) if top else 0)
        lines.append(t("surveys.res.bar", value=f"{value:>2}", bar=bar or "·", count=n))
    return lines


def _changes(counts: dict[int, int]) -> str:
    return " · ".join(
        t(f"surveys.res.change.{c.name.lower()}", count=counts.get(c.value, 0))
        for c in DeficitChange
    )


def _item(result: ItemResult) -> list[str]:
    lines = [t("surveys.res.item", code=result.code, text=result.text)]
    if result.kind == ItemKind.SCALE:
        if result.mean is None:
            lines.append(t("surveys.res.no_answers"))
            return lines
        lines.append(t("surveys.res.mean", mean=_number(result.mean), n=result.answers))
        lines += _bars(result)
    elif result.kind == ItemKind.YES_NO:
        lines.append(
            t("surveys.res.yes_no", yes=result.counts.get(1, 0), no=result.counts.get(0, 0))
        )
    elif result.kind == ItemKind.DEFICIT_SCALE:
        for title, counts in sorted(result.per_deficit.items()):
            n = sum(counts.values())
            mean = sum(v * c for v, c in counts.items()) / n
            lines.append(t("surveys.res.deficit_mean", title=title, mean=_number(mean), n=n))
    elif result.kind == ItemKind.DEFICIT_CHANGE:
        lines.append(t("surveys.res.change_total", changes=_changes(result.counts)))
        for title, counts in sorted(result.per_deficit.items()):
            lines.append(t("surveys.res.deficit_change", title=title, changes=_changes(counts)))
    else:
        lines.append(t("surveys.res.texts", n=len(result.texts), skipped=result.skipped))
        for text in result.texts:
            cut = text if len(text) <= TEXT_CUT else text[:TEXT_CUT] + "…"
            lines.append(t("surveys.res.text", text=free_text(" ".join(cut.split()))))
    return lines


def _role(role: RoleResults) -> list[str]:
    head = t(f"surveys.res.role.{role.role.value}", finished=role.finished, invited=role.invited)
    if role.hidden:
        return [head, t("surveys.res.hidden", min=MIN_ANSWERS)]
    lines = [head]
    if role.left_out:
        lines.append(t("surveys.res.left_out", n=role.left_out))
    for item in role.items:
        lines += ["", *_item(item)]
    if role.shifts:
        lines += ["", t("surveys.res.shifts")]
        for s in role.shifts:
            lines.append(
                t(
                    "surveys.res.shift",
                    code=s.code,
                    text=s.text,
                    entry=_number(s.entry),
                    final=_number(s.final),
                )
            )
    return lines


def results_text(res: Results) -> str:
    lines = [
        t("surveys.res.head", title=round_title(res.kind), scope=res.scope_name, year=res.year)
    ]
    for note in res.source_notes:
        lines.append(t("surveys.res.note", note=note))
    for role in res.roles:
        lines += ["", *_role(role)]
    return "\n".join(lines)


def results_back_markup(school_id: int = 0, municipality_id: int = 0) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("surveys.button.back"),
        callback_data=SurveysScopeCb(s=school_id, m=municipality_id),
    )
    return kb.as_markup()
