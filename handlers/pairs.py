"""/pairs: the school's pairs with a status each, the pair card, and the curator's
actions on a pair: end it with a reason, pause it until a date, lift the pause.
Staff only (the staff router in handlers/staff.py)."""

from __future__ import annotations

import datetime as dt

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.ui import addendum_dialog
from bot.ui.callbacks import (
    AddendumCb,
    AddendumEndCb,
    PairAction,
    PairCb,
    PairsPageCb,
    PauseCb,
)
from bot.ui.dates import day
from bot.ui.replies import edit_or_send, send_below
from bot.ui.staff_states import PairTyping
from bot.ui.views import agreement as agreement_views
from bot.ui.views import pairs as views
from models import LIVE_PAIR, PairStatus
from services import pairs
from services.access import Actor
from services.clock import Clock, local_today
from services.errors import DomainError
from services.pairs import addenda, early_end
from services.validation import FieldError

PAIR_KEY = "pair_action_id"


async def _typed_pair(message: Message, state: FSMContext) -> int | None:
    pair_id = (await state.get_data()).get(PAIR_KEY)
    if not pair_id:
        await state.clear()
        await message.answer(t("error.stale_button"))
        return None
    return int(pair_id)


async def pairs_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    text, markup = views.list_view(await pairs.list_pairs(session, actor, 0, clock.now()))
    await message.answer(text, reply_markup=markup)


async def pairs_page(
    query: CallbackQuery,
    callback_data: PairsPageCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    found = await pairs.list_pairs(session, actor, callback_data.page, clock.now())
    await edit_or_send(query, *views.list_view(found))


async def _card(
    session: AsyncSession, actor: Actor, pair_id: int, clock: Clock, lead: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card with its scheduled early ending, if any (and the button to cancel it)."""
    card = await pairs.card(session, actor, pair_id, clock.now())
    ending = (await early_end.scheduled(session, [pair_id])).get(pair_id)
    addendum = (await addenda.current(session, [pair_id])).get(pair_id)
    live = card.line.status in LIVE_PAIR
    return agreement_views.staff_card(
        views.card_view(card, lead=lead), ending, addendum, pair_id, live
    )


async def complete_on_period_end(
    query: CallbackQuery,
    callback_data: AddendumEndCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    found = await addenda.for_curator(session, actor, callback_data.addendum_id)
    reason = t("addendum.period.reason", number=found.number)
    ending = await early_end.schedule_on(session, actor, found.id, reason, clock)
    await send_below(
        query,
        *await _card(session, actor, ending.pair_id, clock, lead=t("addendum.period.scheduled")),
    )


async def addendum(
    query: CallbackQuery,
    callback_data: AddendumCb,
    session: AsyncSession,
    actor: Actor,
    dialog_manager: DialogManager,
) -> None:
    await addenda.check_pair(session, actor, callback_data.pair_id)
    await addendum_dialog.start(dialog_manager, callback_data.pair_id)


async def pair_card(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    await send_below(query, *await _card(session, actor, callback_data.pair_id, clock))


async def ask_end(
    query: CallbackQuery,
    callback_data: PairCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
) -> None:
    # Ending early gives notice: the earliest date is shown before the reason is asked.
    loaded = await pairs.pair_in_scope(session, actor, callback_data.pair_id)
    found = await early_end.earliest(session, actor, loaded.pair.id, clock)
    await state.set_state(PairTyping.end_reason)
    await state.update_data({PAIR_KEY: loaded.pair.id})
    await send_below(query, agreement_views.ending_ask(found.ends_on))


async def end_reason(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    pair_id = await _typed_pair(message, state)
    if pair_id is None:
        return
    try:
        ending = await early_end.schedule(session, actor, pair_id, message.text or "", clock)
    except FieldError as err:  # the reason itself: the question stays
        await message.answer(t(err.code, **err.params))
        return
    except DomainError:
        await state.clear()
        raise
    await state.clear()
    await message.answer(agreement_views.ending_scheduled_view(ending)[0])
    text, markup = await _card(session, actor, pair_id, clock)
    await message.answer(text, reply_markup=markup)


async def ask_pause(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    loaded = await pairs.pair_in_scope(session, actor, callback_data.pair_id)
    if loaded.pair.status != PairStatus.ACTIVE:
        paused = loaded.pair.status == PairStatus.PAUSED
        raise DomainError("pairs.already_paused" if paused else "pairs.closed")
    today = local_today(clock.now(), loaded.zone)
    await send_below(query, t("pairs.pause.ask"), views.pause_markup(loaded.pair.id, today))


async def _paused(
    session: AsyncSession, actor: Actor, pair_id: int, until: dt.date, clock: Clock
) -> tuple[str, InlineKeyboardMarkup]:
    await pairs.pause(session, actor, pair_id, until, clock)
    card = await pairs.card(session, actor, pair_id, clock.now())
    return views.card_view(card, lead=t("pairs.pause.done", date=day(until)))


async def pause_chosen(
    query: CallbackQuery,
    callback_data: PauseCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
) -> None:
    loaded = await pairs.pair_in_scope(session, actor, callback_data.pair_id)
    if callback_data.weeks == 0:
        if loaded.pair.status != PairStatus.ACTIVE:
            raise DomainError("pairs.closed")
        await state.set_state(PairTyping.pause_date)
        await state.update_data({PAIR_KEY: loaded.pair.id})
        await edit_or_send(query, t("pairs.pause.ask_date"))
        return
    if callback_data.weeks not in (1, 2, 4):
        raise DomainError("error.stale_button")
    until = local_today(clock.now(), loaded.zone) + dt.timedelta(weeks=callback_data.weeks)
    text, markup = await _paused(session, actor, loaded.pair.id, until, clock)
    await edit_or_send(query, text, markup)


async def pause_typed(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    pair_id = await _typed_pair(message, state)
    if pair_id is None:
        return
    loaded = await pairs.pair_in_scope(session, actor, pair_id)
    try:
        until = pairs.parse_pause_until(message.text or "", local_today(clock.now(), loaded.zone))
    except DomainError as err:
        await message.answer(t(err.code, **err.params))
        return
    await state.clear()
    text, markup = await _paused(session, actor, loaded.pair.id, until, clock)
    await message.answer(text, reply_markup=markup)


async def resume(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    await pairs.resume(session, actor, callback_data.pair_id, clock)
    card = await pairs.card(session, actor, callback_data.pair_id, clock.now())
    await edit_or_send(query, *views.card_view(card, lead=t("pairs.resumed")))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pairs_command, Command("pairs"))
    router.message.register(end_reason, PairTyping.end_reason, NotCommand())
    router.message.register(pause_typed, PairTyping.pause_date, NotCommand())
    router.callback_query.register(pairs_page, PairsPageCb.filter())
    router.callback_query.register(pair_card, PairCb.filter(F.action == PairAction.CARD))
    router.callback_query.register(ask_end, PairCb.filter(F.action == PairAction.END))
    router.callback_query.register(ask_pause, PairCb.filter(F.action == PairAction.PAUSE))
    router.callback_query.register(resume, PairCb.filter(F.action == PairAction.RESUME))
    router.callback_query.register(pause_chosen, PauseCb.filter())
    router.callback_query.register(addendum, AddendumCb.filter())
    router.callback_query.register(complete_on_period_end, AddendumEndCb.filter())
    return router
