"""/honor: the club's «Доска почёта муниципальных наставников». Everyone sees the board
of their municipality; coordinators and club organisers nominate a mentor (a name, then
the words about their achievements, then a preview) and take entries off; the mentor
agrees or not to the words being shown, and takes their entry off at any time. Every
id from a button is checked by services.club.honor against who pressed it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import HonorAction, HonorCb
from bot.ui.replies import edit_or_send
from bot.ui.views import honor as views
from services.access import Actor
from services.clock import Clock
from services.club import honor
from services.errors import AccessDenied, DomainError

_NOMINEE = "honor_nominee"
_CITATION = "honor_citation"


class HonorForm(StatesGroup):
    search = State()  # part of the mentor's name
    citation = State()  # the words about their achievements and fields


async def show_board(message: Message, session: AsyncSession, actor: Actor) -> None:
    board = await honor.board(session, actor)
    await message.answer(views.board_text(board), reply_markup=views.board_markup(board))


async def on_button(
    query: CallbackQuery,
    callback_data: HonorCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    action = callback_data.action
    now = clock.now()
    if action == HonorAction.NOMINATE:
        if not honor.may_nominate(actor):
            raise AccessDenied("honor.error.organisers_only")
        await state.set_state(HonorForm.search)
        await edit_or_send(query, t("honor.nominate.ask_name"))
        return
    if action == HonorAction.PICK:
        name = await honor.nominee_name(session, actor, callback_data.participant_id)
        await state.set_state(HonorForm.citation)
        await state.set_data({_NOMINEE: callback_data.participant_id})
        await edit_or_send(query, views.ask_citation_text(name))
        return
    if action == HonorAction.SEND:
        data = await state.get_data()
        if data.get(_NOMINEE) != callback_data.participant_id or not data.get(_CITATION):
            raise DomainError("error.stale_button")  # an older preview, or another form
        await honor.nominate(session, actor, callback_data.participant_id, data[_CITATION], now)
        await state.clear()
        callback_answer.text = t("honor.nominate.sent")
    elif action in (HonorAction.AGREE, HonorAction.REFUSE):
        agree = action == HonorAction.AGREE
        answered = await honor.answer(
            session, actor, callback_data.entry_id, callback_data.shown, agree, now
        )
        if not answered:
            callback_answer.text = t("honor.ask.already")
            return
        await edit_or_send(query, t("honor.ask.agreed" if agree else "honor.ask.refused"))
        return
    elif action == HonorAction.WITHDRAW:
        await honor.withdraw(session, actor, callback_data.entry_id, now)
        callback_answer.text = t("honor.withdrawn")
    elif action == HonorAction.REMOVE:
        if not honor.may_nominate(actor):
            raise AccessDenied("honor.error.organisers_only")
        await honor.remove(session, actor, callback_data.entry_id, now)
        callback_answer.text = t("honor.removed")
    else:  # BOARD: back to the board (a nomination given up)
        if await state.get_state() in (HonorForm.search.state, HonorForm.citation.state):
            await state.clear()
    board = await honor.board(session, actor)
    await edit_or_send(query, views.board_text(board), views.board_markup(board))


async def typed_name(message: Message, session: AsyncSession, actor: Actor) -> None:
    text = (message.text or "").strip()
    if not text or text.startswith("/") or len(text) > 100:
        await message.answer(t("honor.nominate.ask_name"))
        return
    found = await honor.candidates(session, actor, text)
    await message.answer(
        views.candidates_text(found, text), reply_markup=views.candidates_markup(found)
    )


async def typed_citation(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    data = await state.get_data()
    nominee = data.get(_NOMINEE)
    if not isinstance(nominee, int):
        await state.clear()
        raise DomainError("error.stale_button")
    if not message.text:
        await message.answer(t("honor.error.need_text"))
        return
    citation = honor.clean_citation(message.text)  # a refusal keeps the step
    name = await honor.nominee_name(session, actor, nominee)
    await state.update_data({_CITATION: citation})
    await message.answer(
        views.preview_text(name, citation), reply_markup=views.preview_markup(nominee)
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_board, Command("honor"))
    router.message.register(typed_name, StateFilter(HonorForm.search))
    router.message.register(typed_citation, StateFilter(HonorForm.citation))
    router.callback_query.register(on_button, HonorCb.filter())
    return router
