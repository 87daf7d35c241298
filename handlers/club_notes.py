"""/announce: a plain announcement. A school curator writes to their school's
participants (everyone, mentors or mentees); a club organiser (coordinator, club
organiser) to the club's audience in the municipality. The audience from buttons, the
text (or a photo or document with a caption), a preview exactly as people will see it
with how many it reaches, then «Отправить» (through the outbox). A second «Отправить»
finds the form gone and sends nothing."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import Html, t
from bot.ui.callbacks import ClubNoteAction, ClubNoteCb
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
    where, name = await announcements.where(session, actor)
    await state.clear()
    await message.answer(
        t("club.note.ask_audience", scope=name),
        reply_markup=views.note_audiences(announcements.audiences(where)),
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
        _, name = await announcements.count(session, actor, ClubAudience(action.value))
        await state.set_state(SchoolNote.text)
        await state.set_data({"audience": action.value})
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
    n, name = await announcements.count(session, actor, to)
    where, _ = await announcements.where(session, actor)
    await state.set_state(SchoolNote.confirm)
    await state.set_data(
        {"audience": to.value, "text": text, "file_id": file_id, "file_kind": file_kind}
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
    router.message.register(on_text, SchoolNote.text, NotCommand())
    return router
