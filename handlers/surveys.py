"""Surveys. Participants: /survey, «Начать опрос», one answer per message (buttons or
typed), «Назад», the summary and «Отправить». Curators and coordinators: /surveys with
the rounds' dates and live response rates, the dates dialog, a round's results."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.surveys import answering as view
from bot.ui.surveys import dates_dialog
from bot.ui.surveys import rounds as rounds_view
from bot.ui.surveys import school_pick as pick
from bot.ui.surveys.callbacks import (
    RoundDatesCb,
    RoundResultsCb,
    SurveyAnswerCb,
    SurveyOpenCb,
    SurveySkipCb,
    SurveysScopeCb,
    SurveyStepCb,
    SurveySubmitCb,
)
from services import staff_scope
from services.access import Actor
from services.clock import Clock
from services.staff_scope import Own
from services.surveys import answering, results, rounds
from services.surveys.answering import Finished, Screen

# --- answering -------------------------------------------------------------------------------


async def _show(message: Message, screen: Screen, *, lead: str | None = None) -> None:
    await message.answer(
        view.screen_text(screen, lead=lead), reply_markup=view.screen_markup(screen)
    )


async def mine(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    items, closed = await answering.mine(session, actor, clock.now())
    if len(items) == 1:
        await _show(
            message, await answering.show(session, actor, items[0].response_id, clock.now())
        )
        return
    await message.answer(view.mine_text(items, closed), reply_markup=view.mine_markup(items))


async def open_(
    query: CallbackQuery,
    callback_data: SurveyOpenCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    screen = await answering.show(session, actor, callback_data.r, clock.now())
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _show(query.message, screen)


async def step(
    query: CallbackQuery,
    callback_data: SurveyStepCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    screen = await answering.show(session, actor, callback_data.r, clock.now(), callback_data.n)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _show(query.message, screen)


async def answer(
    query: CallbackQuery,
    callback_data: SurveyAnswerCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    cb = callback_data
    moved = await answering.answer(session, actor, cb.r, cb.i, cb.d, cb.v, clock.now())
    if isinstance(query.message, Message):
        # The answered question stays in the chat with its answer, without buttons.
        await query.message.edit_text(view.answered_text(moved.answered), reply_markup=None)
        await _show(query.message, moved.next)


async def skip(
    query: CallbackQuery,
    callback_data: SurveySkipCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    cb = callback_data
    screen = await answering.skip(session, actor, cb.r, cb.i, cb.d, clock.now())
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _show(query.message, screen, lead=t("survey.skipped"))


async def submit(
    query: CallbackQuery,
    callback_data: SurveySubmitCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    outcome = await answering.submit(session, actor, callback_data.r, clock.now())
    if not isinstance(query.message, Message):
        return
    await query.message.edit_reply_markup(reply_markup=None)
    if isinstance(outcome, Finished):
        await query.message.answer(view.done_text(outcome.round_kind))
    else:
        await _show(query.message, outcome, lead=t("survey.error.unanswered"))


async def typed(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    """Any message while a survey question waits (checked in the database, so it works
    after a restart too); otherwise the update goes on to the catch-all."""
    if (message.text or "").startswith("/"):
        raise SkipHandler()
    outcome = await answering.typed(session, actor, message.text, clock.now())
    if outcome is None:
        raise SkipHandler()
    if outcome.error is not None:
        hint = t(outcome.error.code, **outcome.error.params)
        await _show(message, outcome.screen, lead=hint)
        return
    await _show(message, outcome.screen, lead=t("survey.saved"))


# --- curators and coordinators ----------------------------------------------------------------


def _open_place(place: Own) -> SurveysScopeCb:
    if place.level == "municipality":
        return SurveysScopeCb(m=place.id)
    return SurveysScopeCb(s=place.id)


async def surveys(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    where = await staff_scope.default_scope(session, actor)
    if places := await staff_scope.places_to_pick(session, actor):
        await message.answer(
            pick.places_text("/surveys", places),
            reply_markup=pick.places_markup(places, _open_place),
        )
        return
    await _scope_screen(message, session, actor, clock, where.school_id, where.municipality_id, 0)


async def _scope_screen(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    school_id: int,
    municipality_id: int,
    page: int,
    *,
    edit: bool = False,
) -> None:
    if school_id:
        info = await results.school_rounds(session, actor, school_id, clock.now())
        text, markup = rounds_view.school_text(info), rounds_view.school_markup(info)
    else:
        mun = await results.municipality_rounds(session, actor, municipality_id, clock.now())
        text = rounds_view.municipality_text(mun, page)
        markup = rounds_view.municipality_markup(mun, page)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def scope(
    query: CallbackQuery,
    callback_data: SurveysScopeCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    cb = callback_data
    if isinstance(query.message, Message):
        await _scope_screen(query.message, session, actor, clock, cb.s, cb.m, cb.p, edit=True)


async def dates(
    query: CallbackQuery,
    callback_data: RoundDatesCb,
    session: AsyncSession,
    actor: Actor,
    dialog_manager: DialogManager,
) -> None:
    await rounds.dates_of(session, actor, callback_data.round_id)
    await dates_dialog.start(dialog_manager, callback_data.round_id)


async def round_results(
    query: CallbackQuery,
    callback_data: RoundResultsCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    cb = callback_data
    if cb.s:
        where = await results.school_scope(session, actor, cb.s)
    else:
        where = await results.municipality_scope(session, actor, cb.m)
    found = await results.results(session, where, cb.kind, clock.now())
    if isinstance(query.message, Message):
        await query.message.answer(
            rounds_view.results_text(found),
            reply_markup=rounds_view.results_back_markup(cb.s, cb.m),
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(mine, Command("survey"))
    router.message.register(surveys, Command("surveys"))
    router.callback_query.register(open_, SurveyOpenCb.filter())
    router.callback_query.register(step, SurveyStepCb.filter())
    router.callback_query.register(answer, SurveyAnswerCb.filter())
    router.callback_query.register(skip, SurveySkipCb.filter())
    router.callback_query.register(submit, SurveySubmitCb.filter())
    router.callback_query.register(scope, SurveysScopeCb.filter())
    router.callback_query.register(dates, RoundDatesCb.filter())
    router.callback_query.register(round_results, RoundResultsCb.filter())
    return router


def create_dates_dialog() -> Router:
    """The round dates dialog: an aiogram-dialog, which answers its own buttons, so it
    sits outside the routers whose presses CallbackAnswerMiddleware answers."""
    return dates_dialog.create_dialog()


def create_answers_router() -> Router:
    """Typed answers: placed last before the catch-all, so every form and command comes
    first; only messages outside any other form (no FSM state) are looked at."""
    router = Router(name=__name__ + ".typed")
    router.message.register(typed, StateFilter(None), F.chat.type == "private")
    return router
