"""/announce: a plain announcement. A school curator writes to their school's
participants (everyone, mentors or mentees); a club organiser (coordinator, club
organiser) to the club's audience in the municipality. The audience from buttons, the
text (or a photo or document with a caption), a preview exactly as people will see it
with how many it reaches, then «Отправить» (through the outbox). A second «Отправить»
finds the form gone and sends nothing. An organiser with several places (a curator of
two schools, a coordinator who curates a school elsewhere) first picks whose people;
the place is kept in the form and checked again on every step."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import Html, t
from bot.ui.callbacks import ClubNoteAction, ClubNoteCb, ClubPlace, ClubPlaceCb
from bot.ui.replies import edit_or_send
from bot.ui.views import club as views
from models import ClubAudience
from services.access import Actor
from services.clock import Clock
from services.club import announcements, scope
from services.errors import DomainError
from services.validation import FieldError

AUDIENCE_ACTIONS = {a.value: a for a in ClubAudience}


class SchoolNote(StatesGroup):
    text = State()  # data: audience
    confirm = State()  # data: audience, text, file_id, file_kind


async def start(message: Message, state: FSMContext, session: AsyncSession, actor: Actor) -> None:
    if not scope.is_organiser(actor):
        await message.answer(t("club.note.curators_only"))
        return
    await state.clear()
    if places := await scope.places(session, actor):
        await message.answer(
            t("club.note.pick_place"), reply_markup=views.places_markup(ClubPlace.NOTE, places)
        )
        return
    where, name = await announcements.where(session, actor)
    await message.answer(
        t("club.note.ask_audience", scope=name),
        reply_markup=views.note_audiences(announcements.audiences(where)),
    )


def _place(data: dict[str, Any]) -> announcements.Place | None:
    """The place chosen at the start, if there was a choice."""
    found = data.get("place")
    return (int(found[0]), int(found[1])) if found else None


async def on_place(
    query: CallbackQuery,
    callback_data: ClubPlaceCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
) -> None:
    where, name = await announcements.where(session, actor, callback_data.place)
    await state.clear()
    await state.set_data({"place": [where.municipality_id, where.school_id or 0]})
    await edit_or_send(
        query,
        t("club.note.ask_audience", scope=name),
        views.note_audiences(announcements.audiences(where)),
    )


async def on_button(
    query: CallbackQuery,
    callback_data: ClubNoteCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    action = callback_data.action
    if not scope.is_organiser(actor):
        raise DomainError("club.note.curators_only")
    if action == ClubNoteAction.DROP:
        await state.clear()
        await edit_or_send(query, t("club.note.dropped"))
        return
    if action.value in AUDIENCE_ACTIONS:
        place = _place(await state.get_data())
        _, name = await announcements.count(session, actor, ClubAudience(action.value), place)
        await state.set_state(SchoolNote.text)
        await state.set_data({"audience": action.value, "place": place})
        await edit_or_send(
            query, t("club.note.ask_text", to=t(f"club.note.to.{action.value}"), school=name)
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
        session,
        actor,
        ClubAudience(str(data["audience"])),
        str(data["text"]),
        clock.now(),
        file_id=data.get("file_id"),
        file_kind=data.get("file_kind"),
        place=_place(data),
    )
    await edit_or_send(query, t("club.note.sent", n=sent))


async def on_text(message: Message, state: FSMContext, session: AsyncSession, actor: Actor) -> None:
    file_id, file_kind = None, None
    if message.photo:
        file_id, file_kind = message.photo[-1].file_id, "photo"
    elif message.document is not None:
        file_id, file_kind = message.document.file_id, "document"
    raw = message.text if file_id is None else (message.caption or "")
    if raw is None:
        await message.answer(t("club.note.text_only"))
        return
    try:
        text = announcements.clean_text(raw, with_file=file_id is not None)
    except FieldError as exc:
        await message.answer(t(exc.code, **exc.params))
        return
    data = await state.get_data()
    to = ClubAudience(str(data.get("audience") or ClubAudience.ALL.value))
    place = _place(data)
    n, name = await announcements.count(session, actor, to, place)
    where, _ = await announcements.where(session, actor, place)
    await state.set_state(SchoolNote.confirm)
    await state.set_data(
        {
            "audience": to.value,
            "text": text,
            "file_id": file_id,
            "file_kind": file_kind,
            "place": place,
        }
    )
    key = "club.notice.school_note" if where.school_id else "club.notice.club_note"
    preview = t(key, text=text)
    if file_kind:
        preview += "\n" + t(f"club.note.with_{file_kind}")
    await message.answer(
        t("club.note.preview", preview=Html(preview), n=n, school=name),
        reply_markup=views.note_confirm(n),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, Command("announce"))
    router.callback_query.register(on_button, ClubNoteCb.filter())
    router.callback_query.register(on_place, ClubPlaceCb.filter(F.what == ClubPlace.NOTE))
    router.message.register(on_text, SchoolNote.text, NotCommand())
    return router
