"""/plan: the pair's personal plan (ИОМ). Goals from the mentee's deficits or typed, a
target month from buttons; the mentor marks each goal «в работе» / «выполнено»."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.ui.callbacks import GoalStatusCb, PlanAction, PlanCb, PlanDeficitCb, PlanMonthCb
from bot.ui.replies import drop_buttons, edit_or_send, send_below
from bot.ui.views import plan as views
from models import GoalStatus
from services import plan
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.validation import FieldError


class PlanForm(StatesGroup):
    title = State()  # FSM data: pair
    month = State()  # FSM data: a GoalDraft


@dataclass(frozen=True)
class GoalDraft:
    pair: int
    mentee: int  # 0: the pair's own goal
    item: int  # 0: a typed title
    title: str


async def show(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    views_ = await plan.my_plans(session, actor, clock.now())
    if not views_:
        await message.answer(t("plan.none"))
        return
    for view in views_:
        await message.answer(views.plan_text(view), reply_markup=views.plan_markup(view))


async def show_one(
    query: CallbackQuery, callback_data: PlanCb, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    view = await plan.plan_of(session, actor, callback_data.pair_id, clock.now())
    await send_below(query, views.plan_text(view), views.plan_markup(view))


async def add(
    query: CallbackQuery, callback_data: PlanCb, session: AsyncSession, actor: Actor
) -> None:
    options = await plan.deficit_options(session, actor, callback_data.pair_id)
    await send_below(
        query,
        t("plan.choose" if options else "plan.choose.own"),
        views.deficits_markup(callback_data.pair_id, options),
    )


async def type_own(
    query: CallbackQuery,
    callback_data: PlanCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
) -> None:
    await plan.check_can_add(session, actor, callback_data.pair_id)
    await state.set_state(PlanForm.title)
    await state.set_data({"pair": callback_data.pair_id})
    await drop_buttons(query)
    await send_below(query, t("plan.q.title"))


async def _ask_month(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    goal: GoalDraft,
) -> None:
    view = await plan.plan_of(session, actor, goal.pair, clock.now())
    await state.set_state(PlanForm.month)
    await state.set_data(asdict(goal))
    await message.answer(
        t("plan.q.month", title=goal.title), reply_markup=views.months_markup(view.today)
    )


async def deficit(
    query: CallbackQuery,
    callback_data: PlanDeficitCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
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
    if not isinstance(query.message, Message):
        return
    await drop_buttons(query)
    goal = GoalDraft(callback_data.pair_id, option.mentee_id, option.item_id, option.title)
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
    await _ask_month(
        message, state, session, actor, clock, GoalDraft(int(data["pair"]), 0, 0, title)
    )


async def month(
    query: CallbackQuery,
    callback_data: PlanMonthCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    if await state.get_state() != PlanForm.month.state:
        raise DomainError("error.stale_button")
    try:
        target = dt.date.fromisoformat(callback_data.month + "-01")
    except ValueError:
        raise DomainError("error.stale_button") from None
    draft = GoalDraft(**await state.get_data())
    goal = await plan.add_goal(
        session,
        actor,
        draft.pair,
        target_month=target,
        now=clock.now(),
        item_id=draft.item or None,
        mentee_id=draft.mentee or None,
        title=None if draft.item else draft.title,
    )
    await state.clear()
    await drop_buttons(query)
    await send_below(
        query,
        t("plan.added", title=goal.title, month=views.month_label(goal.target_month)),
        views.added_markup(draft.pair),
    )


async def goal_status(
    query: CallbackQuery,
    callback_data: GoalStatusCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        status = GoalStatus(callback_data.status)
    except ValueError:
        raise DomainError("error.stale_button") from None
    pair_id = await plan.set_status(session, actor, callback_data.goal_id, status, clock.now())
    view = await plan.plan_of(session, actor, pair_id, clock.now())
    number = next((i for i, g in enumerate(view.goals, 1) if g.id == callback_data.goal_id), 0)
    callback_answer.text = t("plan.status_set", i=number, status=t(f"plan.status.{status.value}"))
    await edit_or_send(query, views.plan_text(view), views.plan_markup(view))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show, Command("plan"))
    router.message.register(typed_title, PlanForm.title, NotCommand())
    router.callback_query.register(show_one, PlanCb.filter(F.action == PlanAction.SHOW))
    router.callback_query.register(add, PlanCb.filter(F.action == PlanAction.ADD))
    router.callback_query.register(type_own, PlanCb.filter(F.action == PlanAction.TYPE))
    router.callback_query.register(deficit, PlanDeficitCb.filter())
    router.callback_query.register(month, PlanMonthCb.filter())
    router.callback_query.register(goal_status, GoalStatusCb.filter())
    return router
