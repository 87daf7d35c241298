"""/unmatched and forming a pair: a ranked list of mentors with the reasons, the choice
of a group or a separate pair, an optional order (приказ), then confirmation.
Staff only (the staff router in handlers/__init__.py)."""

from __future__ import annotations

import dataclasses

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.middlewares.callback_answer import popup
from bot.ui.callbacks import (
    FormPairAction,
    FormPairCb,
    GroupChoiceCb,
    MatchCb,
    OrderAction,
    OrderChoiceCb,
    PickMentorCb,
    UnmatchedPageCb,
)
from bot.ui.replies import edit_or_send, send_below
from bot.ui.staff_states import PairDraft
from bot.ui.views import agreement as agreement_views
from bot.ui.views import matching as views
from bot.ui.views.matching import PairChoice
from services import matching, pairs
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.pairs import proposals

DRAFT_KEY = "pair_draft"


async def _choice(state: FSMContext) -> PairChoice | None:
    data = (await state.get_data()).get(DRAFT_KEY)
    return PairChoice(**data) if data else None


async def _keep(state: FSMContext, step: State, choice: PairChoice) -> None:
    await state.set_state(step)
    await state.update_data({DRAFT_KEY: dataclasses.asdict(choice)})


async def drop_draft(state: FSMContext) -> None:
    if await state.get_state() in (PairDraft.order.state, PairDraft.confirm.state):
        await state.clear()
    else:
        await state.update_data({DRAFT_KEY: None})


async def _draft_view(session: AsyncSession, actor: Actor, choice: PairChoice) -> views.View:
    draft = await pairs.draft(session, actor, choice.mentee_id, choice.mentor_id)
    if choice.pair_id and choice.pair_id not in {g.pair_id for g in draft.groups}:
        raise DomainError("matching.group_gone")
    return views.confirm_view(draft, choice)


async def unmatched(message: Message, session: AsyncSession, actor: Actor) -> None:
    text, markup = views.unmatched_view(await matching.unmatched(session, actor, 0))
    waiting = agreement_views.waiting_block(await proposals.waiting(session, actor))
    await message.answer(text + ("\n\n" + waiting if waiting else ""), reply_markup=markup)


async def unmatched_page(
    query: CallbackQuery, callback_data: UnmatchedPageCb, session: AsyncSession, actor: Actor
) -> None:
    found = await matching.unmatched(session, actor, callback_data.page)
    await edit_or_send(query, *views.unmatched_view(found))


async def suggest(
    query: CallbackQuery,
    callback_data: MatchCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
) -> None:
    found = await matching.suggest(session, actor, callback_data.mentee_id, callback_data.page)
    await drop_draft(state)
    view = views.suggestions_view(found)
    if callback_data.page == 0:
        # From a list or a pair card: a new message, so the list stays where it was.
        await send_below(query, *view)
    else:
        await edit_or_send(query, *view)


async def pick(
    query: CallbackQuery, callback_data: PickMentorCb, session: AsyncSession, actor: Actor
) -> None:
    draft = await pairs.draft(session, actor, callback_data.mentee_id, callback_data.mentor_id)
    await edit_or_send(query, *views.picked_view(draft))


async def group_choice(
    query: CallbackQuery, callback_data: GroupChoiceCb, session: AsyncSession, actor: Actor
) -> None:
    draft = await pairs.draft(session, actor, callback_data.mentee_id, callback_data.mentor_id)
    if callback_data.pair_id and callback_data.pair_id not in {g.pair_id for g in draft.groups}:
        raise DomainError("matching.group_gone")
    await edit_or_send(query, *views.group_chosen_view(draft, callback_data.pair_id))


async def order_choice(
    query: CallbackQuery,
    callback_data: OrderChoiceCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
) -> None:
    choice = PairChoice(callback_data.mentee_id, callback_data.mentor_id, callback_data.pair_id)
    if callback_data.action == OrderAction.TYPED:
        # Checked now, so the person is not asked to type for a mentee they may not touch.
        await pairs.draft(session, actor, choice.mentee_id, choice.mentor_id)
        await _keep(state, PairDraft.order, choice)
        await edit_or_send(query, t("matching.order.ask"))
        return
    text, markup = await _draft_view(session, actor, choice)
    await _keep(state, PairDraft.confirm, choice)
    await edit_or_send(query, text, markup)


async def order_typed(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    choice = await _choice(state)
    if choice is None:
        await state.clear()
        await message.answer(t("error.stale_button"))
        return
    if not message.text:
        await message.answer(t("pairs.order.bad"))
        return
    try:
        number, date = pairs.parse_order(message.text, clock.now().date())
    except DomainError as err:
        await message.answer(t(err.code, **err.params))
        return
    choice = dataclasses.replace(choice, order_number=number, order_date=date.isoformat())
    text, markup = await _draft_view(session, actor, choice)
    await _keep(state, PairDraft.confirm, choice)
    await message.answer(text, reply_markup=markup)


async def cancel(query: CallbackQuery, state: FSMContext) -> None:
    await drop_draft(state)
    await edit_or_send(query, t("matching.cancelled"))


async def form(
    query: CallbackQuery,
    callback_data: FormPairCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    choice = await _choice(state)
    if (
        choice is None
        or choice.mentee_id != callback_data.mentee_id
        or choice.mentor_id != callback_data.mentor_id
    ):
        popup(callback_answer, t("error.stale_button"))
        return
    # The mentor agrees first (art. 351.8 ТК РФ): a proposal, the pair on «Беру».
    proposed = await proposals.propose(
        session,
        actor,
        mentee_id=choice.mentee_id,
        mentor_id=choice.mentor_id,
        group_pair_id=choice.pair_id or None,
        order_number=choice.order_number,
        order_date=choice.order_day,
        clock=clock,
    )
    await drop_draft(state)
    await edit_or_send(
        query, *agreement_views.proposed_view(proposed, choice.order_number, choice.order_day)
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unmatched, Command("unmatched"))
    router.message.register(order_typed, PairDraft.order, NotCommand())
    router.callback_query.register(unmatched_page, UnmatchedPageCb.filter())
    router.callback_query.register(suggest, MatchCb.filter())
    router.callback_query.register(pick, PickMentorCb.filter())
    router.callback_query.register(group_choice, GroupChoiceCb.filter())
    router.callback_query.register(order_choice, OrderChoiceCb.filter())
    router.callback_query.register(form, FormPairCb.filter(F.action == FormPairAction.OK))
    router.callback_query.register(cancel, FormPairCb.filter(F.action == FormPairAction.CANCEL))
    return router
