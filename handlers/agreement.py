"""The mentor's answer to a proposal: «Беру» forms the pair, «Не могу» asks the reason
(a button or typed); ending a pair early with notice from /my (the reason, then the
date), and cancelling a scheduled ending. Any participant may press; the services check
the proposal or the pair is the presser's own (or in a curator's scope)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.ui.callbacks import EndingAction, EndingCb, ProposalAction, ProposalCb
from bot.ui.replies import edit_or_send, send_below
from bot.ui.views import agreement as views
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.pairs import early_end, proposals
from services.validation import FieldError


class DeclineTyping(StatesGroup):
    reason = State()


class EndTyping(StatesGroup):
    reason = State()


PROPOSAL_KEY = "proposal_id"
ENDING_PAIR_KEY = "ending_pair_id"


async def accept(
    query: CallbackQuery,
    callback_data: ProposalCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    formed = await proposals.accept(session, actor, callback_data.id, clock)
    await edit_or_send(query, *views.accepted_view(formed))


async def ask_reason(
    query: CallbackQuery, callback_data: ProposalCb, session: AsyncSession, actor: Actor
) -> None:
    await proposals.check_own(session, actor, callback_data.id)
    await edit_or_send(query, *views.reasons_view(callback_data.id))


async def reason_chosen(
    query: CallbackQuery,
    callback_data: ProposalCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    key = views.DECLINE_REASONS.get(callback_data.reason)
    if key is None:
        raise DomainError("error.stale_button")
    await proposals.decline(session, actor, callback_data.id, t(key), clock)
    await edit_or_send(query, t("agreement.declined"))


async def ask_typed(
    query: CallbackQuery,
    callback_data: ProposalCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
) -> None:
    await proposals.check_own(session, actor, callback_data.id)
    await state.set_state(DeclineTyping.reason)
    await state.update_data({PROPOSAL_KEY: callback_data.id})
    await edit_or_send(query, t("agreement.decline.ask_typed"))


async def reason_typed(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    proposal_id = (await state.get_data()).get(PROPOSAL_KEY)
    if not proposal_id:
        await state.clear()
        await message.answer(t("error.stale_button"))
        return
    try:
        await proposals.decline(session, actor, int(proposal_id), message.text or "", clock)
    except FieldError as err:  # the reason itself: the question stays
        await message.answer(t(err.code, **err.params))
        return
    except DomainError:
        await state.clear()
        raise
    await state.clear()
    await message.answer(t("agreement.declined"))


async def ask_end(
    query: CallbackQuery,
    callback_data: EndingCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
) -> None:
    found = await early_end.earliest(session, actor, callback_data.id, clock)
    await state.set_state(EndTyping.reason)
    await state.update_data({ENDING_PAIR_KEY: found.pair_id})
    await send_below(query, views.ending_ask(found.ends_on))


async def end_typed(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    pair_id = (await state.get_data()).get(ENDING_PAIR_KEY)
    if not pair_id:
        await state.clear()
        await message.answer(t("error.stale_button"))
        return
    try:
        ending = await early_end.schedule(session, actor, int(pair_id), message.text or "", clock)
    except FieldError as err:  # the reason itself: the question stays
        await message.answer(t(err.code, **err.params))
        return
    except DomainError:
        await state.clear()
        raise
    await state.clear()
    text, markup = views.ending_scheduled_view(ending)
    await message.answer(text, reply_markup=markup)


async def cancel_end(
    query: CallbackQuery,
    callback_data: EndingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    await early_end.cancel(session, actor, callback_data.id, clock)
    await edit_or_send(query, t("agreement.ending.cancelled"))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(reason_typed, DeclineTyping.reason, NotCommand())
    router.message.register(end_typed, EndTyping.reason, NotCommand())
    router.callback_query.register(ask_end, EndingCb.filter(F.action == EndingAction.ASK))
    router.callback_query.register(cancel_end, EndingCb.filter(F.action == EndingAction.CANCEL))
    router.callback_query.register(accept, ProposalCb.filter(F.action == ProposalAction.ACCEPT))
    router.callback_query.register(
        ask_reason, ProposalCb.filter(F.action == ProposalAction.DECLINE)
    )
    router.callback_query.register(
        reason_chosen, ProposalCb.filter(F.action == ProposalAction.REASON)
    )
    router.callback_query.register(ask_typed, ProposalCb.filter(F.action == ProposalAction.TYPED))
    return router
