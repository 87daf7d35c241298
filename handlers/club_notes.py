"""/announce: a school curator's plain announcement to their school's participants
(everyone, mentors or mentees): the audience from buttons, the text, a preview exactly
as people will see it with how many it reaches, then «Отправить» (through the outbox).
A second «Отправить» finds the form gone and sends nothing."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import Html, t
from bot.ui.callbacks import ClubNoteAction, ClubNoteCb
from bot.ui.replies import edit_or_send
from models import ClubAudience
from services.access import Actor
from services.clock import Clock
from services.club import announcements
from services.errors import DomainError
from services.validation import FieldError


class SchoolNote(StatesGroup):
    text = State()  # data: audience
    confirm = State()  # data: audience, text


def _audience_markup() -> InlineKeyboardBuilder:
    kb = InlineKeyboardBuilder()
    for action in (ClubNoteAction.ALL, ClubNoteAction.MENTORS, ClubNoteAction.MENTEES):
        kb.button(text=t(f"club.note.to.{action.value}"), callback_data=ClubNoteCb(action=action))
    kb.button(text=t("club.note.drop"), callback_data=ClubNoteCb(action=ClubNoteAction.DROP))
    kb.adjust(1)
    return kb


async def start(message: Message, state: FSMContext, actor: Actor) -> None:
    if not actor.curator_school_ids:
        await message.answer(t("club.note.curators_only"))
        return
    await state.clear()
    await message.answer(t("club.note.ask_audience"), reply_markup=_audience_markup().as_markup())


async def on_button(
    query: CallbackQuery,
    callback_data: ClubNoteCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    action = callback_data.action
    if not actor.curator_school_ids:
        raise DomainError("club.note.curators_only")
    if action == ClubNoteAction.DROP:
        await state.clear()
        await edit_or_send(query, t("club.note.dropped"))
        return
    if action in (ClubNoteAction.ALL, ClubNoteAction.MENTORS, ClubNoteAction.MENTEES):
        _, school = await announcements.count(session, actor, ClubAudience(action.value))
        await state.set_state(SchoolNote.text)
        await state.set_data({"audience": action.value})
        await edit_or_send(
            query, t("club.note.ask_text", to=t(f"club.note.to.{action.value}"), school=school)
        )
        return
    data = await state.get_data()
    if await state.get_state() != SchoolNote.confirm.state or "text" not in data:
        raise DomainError("club.note.stale")
    if action == ClubNoteAction.EDIT:
        await state.set_state(SchoolNote.text)
        await edit_or_send(query, t("club.note.ask_text.again"))
        return
    await state.clear()  # before sending: a second press finds nothing to send
    sent = await announcements.send(
        session, actor, ClubAudience(str(data["audience"])), str(data["text"]), clock.now()
    )
    await edit_or_send(query, t("club.note.sent", n=sent))


async def on_text(message: Message, state: FSMContext, session: AsyncSession, actor: Actor) -> None:
    if not message.text:
        await message.answer(t("club.note.text_only"))
        return
    try:
        text = announcements.clean_text(message.text)
    except FieldError as exc:
        await message.answer(t(exc.code, **exc.params))
        return
    data = await state.get_data()
    to = ClubAudience(str(data.get("audience") or ClubAudience.ALL.value))
    n, school = await announcements.count(session, actor, to)
    await state.set_state(SchoolNote.confirm)
    await state.set_data({"audience": to.value, "text": text})
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("club.note.send", count=n), callback_data=ClubNoteCb(action=ClubNoteAction.SEND)
    )
    kb.button(text=t("club.note.edit"), callback_data=ClubNoteCb(action=ClubNoteAction.EDIT))
    kb.button(text=t("club.note.drop"), callback_data=ClubNoteCb(action=ClubNoteAction.DROP))
    kb.adjust(1)
    preview = t("club.notice.school_note", text=text)
    await message.answer(
        t("club.note.preview", preview=Html(preview), n=n, school=school),
        reply_markup=kb.as_markup(),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, Command("announce"))
    router.callback_query.register(on_button, ClubNoteCb.filter())
    router.message.register(on_text, SchoolNote.text, NotCommand())
    return router
