"""«Подобрать всем» under /unmatched: one optimal proposal for every unmatched mentee
the curator (or coordinator) oversees, edited (× takes a pair out, ⇄ gives a mentee
another mentor) and confirmed at once; the pairs are formed by the same service as one
by one. Staff only (included in the staff router, handlers/staff.py).

The proposal is kept in the presser's FSM data as ids; every press re-reads it, and
the ids a button carries must be in it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.middlewares.callback_answer import popup
from bot.ui.callbacks import BulkAction, BulkMatchCb
from bot.ui.replies import edit_or_send, send_below
from bot.ui.staff_states import BulkDraft
from bot.ui.views import matching_bulk as views
from services import matching_bulk, pairs
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.matching_bulk import Proposal

PROPOSAL_KEY = "bulk_proposal"


async def _proposal(state: FSMContext) -> Proposal | None:
    return Proposal.from_data((await state.get_data()).get(PROPOSAL_KEY))


async def _keep(state: FSMContext, proposal: Proposal | None) -> None:
    await state.update_data({PROPOSAL_KEY: proposal.as_data() if proposal else None})


async def _stop_typing(state: FSMContext) -> None:
    """Whatever else was pressed, a half-typed order is no longer awaited (another
    feature's typed step is left alone)."""
    if await state.get_state() == BulkDraft.order.state:
        await state.set_state(None)


async def _show(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    proposal: Proposal,
    page: int,
) -> None:
    proposal, found = await matching_bulk.show(session, actor, proposal, page)
    await _keep(state, proposal)
    await edit_or_send(query, *views.proposal_view(found))


async def start(
    query: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    await _stop_typing(state)
    proposal = await matching_bulk.propose(session, actor)
    proposal, found = await matching_bulk.show(session, actor, proposal, 0)
    await _keep(state, proposal)
    # A new message: the /unmatched list stays above it.
    await send_below(query, *views.proposal_view(found))


async def edit(
    query: CallbackQuery,
    callback_data: BulkMatchCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    proposal = await _proposal(state)
    if proposal is None:
        popup(callback_answer, t("bulk.stale"))
        return
    page = callback_data.page
    match callback_data.action:
        case BulkAction.REMOVE:
            proposal = proposal.without(callback_data.mentee_id)
        case BulkAction.SWAP:
            found = await matching_bulk.alternatives(
                session, actor, proposal, callback_data.mentee_id
            )
            await edit_or_send(query, *views.alternatives_view(found, page))
            return
        case BulkAction.PICK:
            proposal = await matching_bulk.swap(
                session, actor, proposal, callback_data.mentee_id, callback_data.mentor_id
            )
        case BulkAction.ORDER:
            await state.set_state(BulkDraft.order)
            await edit_or_send(query, *views.order_asked_view(page))
            return
    await _stop_typing(state)  # back to the proposal: no order is being typed
    await _show(query, session, actor, state, proposal, page)


async def order_typed(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    """The one order for all the pairs: kept with the proposal, which is shown again
    with it (nothing is sent to the mentors until «Подтвердить все»)."""
    proposal = await _proposal(state)
    if proposal is None:
        await _stop_typing(state)
        await message.answer(t("bulk.stale"))
        return
    try:
        number, day = pairs.parse_order(message.text or "", clock.now().date())
    except DomainError as err:
        await message.answer(t(err.code, **err.params))  # still waiting for the order
        return
    await _stop_typing(state)
    proposal, found = await matching_bulk.show(session, actor, proposal.with_order(number, day), 0)
    await _keep(state, proposal)
    text, markup = views.proposal_view(found)
    await message.answer(text, reply_markup=markup)


async def confirm(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    proposal = await _proposal(state)
    if proposal is None or not proposal.pairs:
        popup(callback_answer, t("bulk.stale"))
        return
    # Spent before forming: a second press finds nothing to confirm.
    await _keep(state, None)
    await _stop_typing(state)
    done = await matching_bulk.confirm(session, actor, proposal, clock)
    await edit_or_send(query, *views.confirmed_view(done))


async def cancel(query: CallbackQuery, state: FSMContext) -> None:
    await _keep(state, None)
    await _stop_typing(state)
    await edit_or_send(query, *views.cancelled_view())


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(start, BulkMatchCb.filter(F.action == BulkAction.START))
    router.callback_query.register(confirm, BulkMatchCb.filter(F.action == BulkAction.CONFIRM))
    router.callback_query.register(cancel, BulkMatchCb.filter(F.action == BulkAction.CANCEL))
    router.callback_query.register(edit, BulkMatchCb.filter())
    router.message.register(order_typed, BulkDraft.order, NotCommand())
    return router
