"""/plan: the pair's personal plan (ИОМ) with the mentor's buttons, the choice of a
goal and of its target month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import GoalStatusCb, PlanAction, PlanCb, PlanDeficitCb, PlanMonthCb
from bot.ui.dates import month_name
from bot.ui.people import person_name
from models import GoalStatus
from services import plan
from services.plan import GoalView, Option, PlanView


def month_label(month: dt.date) -> str:
    return t("plan.month_year", month=month_name(month), year=month.year)


def _goal_line(i: int, goal: GoalView, group: bool) -> str:
    params: dict[str, Any] = {
        "i": i,
        "title": goal.title,
        "month": month_label(goal.target_month),
        "status": t(f"plan.status.{goal.status.value}"),
    }
    if group and goal.mentee_id is not None:
        return t("plan.goal.for", mentee=person_name(goal.mentee_name), **params)
    return t("plan.goal", **params)


def plan_text(view: PlanView) -> str:
    mentees = ", ".join(person_name(name) for _, name in view.mentees)
    group = len(view.mentees) > 1
    pair = t(
        "feedback.pair.group" if group else "feedback.pair.one",
        mentor=person_name(view.mentor_name),
        mentees=mentees,
    )
    lines = [t("plan.title", pair=Html(pair)), ""]
    lines += [_goal_line(i, g, group) for i, g in enumerate(view.goals, 1)] or [t("plan.empty")]
    if view.can_mark and view.goals:
        lines += ["", t("plan.hint.mentor")]
    elif view.is_mentor and view.can_add:
        lines += ["", t("plan.hint.mentor_empty")]
    elif not view.can_add and not view.is_mentor:
        lines += ["", t("plan.hint.not_yet")]
    return "\n".join(lines)


def plan_markup(view: PlanView) -> InlineKeyboardMarkup | None:
    kb = InlineKeyboardBuilder()
    sizes = []
    if view.can_mark:
        for i, goal in enumerate(view.goals, 1):
            row = 0
            if goal.status == GoalStatus.PLANNED:
                kb.button(
                    text=t("plan.button.in_progress", i=i),
                    callback_data=GoalStatusCb(goal_id=goal.id, status=GoalStatus.IN_PROGRESS),
                )
                row += 1
            if goal.status != GoalStatus.DONE:
                kb.button(
                    text=t("plan.button.done", i=i),
                    callback_data=GoalStatusCb(goal_id=goal.id, status=GoalStatus.DONE),
                )
                row += 1
            if row:
                sizes.append(row)
    if view.can_add:
        kb.button(
            text=t("plan.button.add"),
            callback_data=PlanCb(action=PlanAction.ADD, pair_id=view.pair_id),
        )
        sizes.append(1)
    if not sizes:
        return None
    kb.adjust(*sizes)
    return kb.as_markup()


def deficits_markup(pair_id: int, options: list[Option]) -> InlineKeyboardMarkup:
    group = len({o.mentee_id for o in options}) > 1
    kb = InlineKeyboardBuilder()
    for o in options:
        label = t("plan.deficit.for", title=o.title, mentee=person_name(o.mentee_name))
        kb.button(
            text=(label if group else o.title)[:60],
            callback_data=PlanDeficitCb(pair_id=pair_id, mentee_id=o.mentee_id, item_id=o.item_id),
        )
    kb.button(
        text=t("plan.button.type"), callback_data=PlanCb(action=PlanAction.TYPE, pair_id=pair_id)
    )
    kb.adjust(1)
    return kb.as_markup()


def months_markup(today: dt.date) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for month in plan.target_months(today):
        kb.button(text=month_label(month), callback_data=PlanMonthCb(month=month.strftime("%Y-%m")))
    kb.adjust(3)
    return kb.as_markup()


def added_markup(pair_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for key, action in (
        ("plan.button.more", PlanAction.ADD),
        ("plan.button.show", PlanAction.SHOW),
    ):
        kb.button(text=t(key), callback_data=PlanCb(action=action, pair_id=pair_id))
    kb.adjust(1)
    return kb.as_markup()
