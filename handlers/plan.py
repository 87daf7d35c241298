"""/plan: the pair's personal plan (ИОМ). Goals from the mentee's deficits or typed, a
target month from buttons; the mentor marks each goal «в работе» / «выполнено»."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.callbacks import GoalStatusCb, PlanCb, PlanDeficitCb, PlanMonthCb
from bot.ui.notices.feedback import person_name
from models import GoalStatus
from services import plan
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.plan import GoalView, PlanView
from services.validation import FieldError


class PlanForm(StatesGroup):
    title = State()  # FSM data: pair
    month = State()  # FSM data: pair, mentee, item, title


def month_label(month: dt.date) -> str:
    return t("plan.month_year", month=t(f"plan.month.{month.month}"), year=month.year)


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
            text=t("plan.button.add"), callback_data=PlanCb(action="add", pair_id=view.pair_id)
        )
        sizes.append(1)
    if not sizes:
        return None
    kb.adjust(*sizes)
    return kb.as_markup()


def _months_markup(today: dt.date) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for month in plan.target_months(today):
        kb.button(text=month_label(month), callback_data=PlanMonthCb(month=month.strftime("%Y-%m")))
    kb.adjust(3)
    return kb.as_markup()


async def show(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    views = await plan.my_plans(session, actor, clock.now())
    if not views:
        await message.answer(t("plan.none"))
        return
    for view in views:
        await message.answer(plan_text(view), reply_markup=plan_markup(view))


async def action(
    query: CallbackQuery,
    callback_data: PlanCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    if not isinstance(query.message, Message):
        return
    pair_id = callback_data.pair_id
    if callback_data.action == "show":
        view = await plan.plan_of(session, actor, pair_id, clock.now())
        await query.answer()
        await query.message.answer(plan_text(view), reply_markup=plan_markup(view))
    elif callback_data.action == "add":
        options = await plan.deficit_options(session, actor, pair_id)
        group = len({o.mentee_id for o in options}) > 1
        kb = InlineKeyboardBuilder()
        for o in options:
            label = t("plan.deficit.for", title=o.title, mentee=person_name(o.mentee_name))
            kb.button(
                text=(label if group else o.title)[:60],
                callback_data=PlanDeficitCb(
                    pair_id=pair_id, mentee_id=o.mentee_id, item_id=o.item_id
                ),
            )
        kb.button(text=t("plan.button.type"), callback_data=PlanCb(action="type", pair_id=pair_id))
        kb.adjust(1)
        await query.answer()
        await query.message.answer(
            t("plan.choose" if options else "plan.choose.own"), reply_markup=kb.as_markup()
        )
    elif callback_data.action == "type":
        await plan.check_can_add(session, actor, pair_id)
        await state.set_state(PlanForm.title)
        await state.set_data({"pair": pair_id})
        await query.answer()
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(t("plan.q.title"))
    else:
        await query.answer(t("error.stale_button"), show_alert=True)


async def _ask_month(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    goal: dict[str, int | str],
) -> None:
    view = await plan.plan_of(session, actor, int(goal["pair"]), clock.now())
    await state.set_state(PlanForm.month)
    await state.set_data(goal)
    await message.answer(
        t("plan.q.month", title=str(goal["title"])), reply_markup=_months_markup(view.today)
    )


async def deficit(
    query: CallbackQuery,
    callback_data: PlanDeficitCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    if not isinstance(query.message, Message):
        return
    options = await plan.deficit_options(session, actor, callback_data.pair_id)
    option = next(
        (
            o
            for o in options
            if o.item_id == callback_data.item_id and o.mentee_id == callback_data.mentee_id
        ),
        None,
    )
    if option is None:
        raise DomainError("plan.error.option_gone")
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    goal: dict[str, int | str] = {
        "pair": callback_data.pair_id,
        "mentee": option.mentee_id,
        "item": option.item_id,
        "title": option.title,
    }
    await _ask_month(query.message, state, session, actor, clock, goal)


async def typed_title(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    try:
        title = plan.clean_title(message.text)
    except FieldError as err:
        await message.answer(t(err.code, **err.params) + "\n\n" + t("plan.q.title"))
        return
    data = await state.get_data()
    goal: dict[str, int | str] = {"pair": int(data["pair"]), "mentee": 0, "item": 0, "title": title}
    await _ask_month(message, state, session, actor, clock, goal)


async def month(
    query: CallbackQuery,
    callback_data: PlanMonthCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    if await state.get_state() != PlanForm.month.state or not isinstance(query.message, Message):
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    data = await state.get_data()
    try:
        target = dt.date.fromisoformat(callback_data.month + "-01")
    except ValueError:
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    item = int(data["item"]) or None
    goal = await plan.add_goal(
        session,
        actor,
        int(data["pair"]),
        target_month=target,
        now=clock.now(),
        item_id=item,
        mentee_id=int(data["mentee"]) or None,
        title=None if item else str(data["title"]),
    )
    await state.clear()
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("plan.button.more"), callback_data=PlanCb(action="add", pair_id=int(data["pair"]))
    )
    kb.button(
        text=t("plan.button.show"), callback_data=PlanCb(action="show", pair_id=int(data["pair"]))
    )
    kb.adjust(1)
    await query.message.answer(
        t("plan.added", title=goal.title, month=month_label(goal.target_month)),
        reply_markup=kb.as_markup(),
    )


async def goal_status(
    query: CallbackQuery,
    callback_data: GoalStatusCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    try:
        status = GoalStatus(callback_data.status)
    except ValueError:
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    pair_id = await plan.set_status(session, actor, callback_data.goal_id, status, clock.now())
    view = await plan.plan_of(session, actor, pair_id, clock.now())
    number = next((i for i, g in enumerate(view.goals, 1) if g.id == callback_data.goal_id), 0)
    await query.answer(t("plan.status_set", i=number, status=t(f"plan.status.{status.value}")))
    if isinstance(query.message, Message):
        await query.message.edit_text(plan_text(view), reply_markup=plan_markup(view))


def _not_a_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show, Command("plan"))
    router.message.register(typed_title, PlanForm.title, _not_a_command)
    router.callback_query.register(action, PlanCb.filter())
    router.callback_query.register(deficit, PlanDeficitCb.filter())
    router.callback_query.register(month, PlanMonthCb.filter())
    router.callback_query.register(goal_status, GoalStatusCb.filter())
    return router
