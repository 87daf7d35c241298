"""/profile: every field, and «Изменить» for any one of them."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui import questionnaire
from bot.ui.callbacks import ProfileCb
from bot.ui.questionnaire import FormMode
from bot.ui.views.profile import profile_view
from models import Participant, ParticipantStatus, Role
from services import catalogue
from services.access import Actor
from services.errors import DomainError
from services.participants import answers_of, find_live
from services.questionnaire import profile_fields


async def _me(session: AsyncSession, actor: Actor) -> Participant | None:
    if actor.participant_id is None:  # a stranger: no query
        return None
    return await find_live(session, actor.telegram_id)


def _registered(me: Participant | None) -> bool:
    return me is not None and me.status in (ParticipantStatus.ACTIVE, ParticipantStatus.PENDING)


async def profile(message: Message, session: AsyncSession, actor: Actor) -> None:
    me = await _me(session, actor)
    if me is None or not _registered(me):
        await message.answer(t("error.not_registered"))
        return
    names = {e.id: e.title for e in await catalogue.active_items(session)}
    text, markup = profile_view(me, names)
    await message.answer(text, reply_markup=markup)


async def edit(
    query: CallbackQuery,
    callback_data: ProfileCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
) -> None:
    me = await _me(session, actor)
    # The field comes from the client: only the presser's own profile fields are editable.
    if me is None or not _registered(me) or callback_data.field not in profile_fields(me):
        raise DomainError("error.stale_button")
    if isinstance(query.message, Message):
        await questionnaire.start(
            query.message,
            state,
            session,
            mode=FormMode.EDIT,
            role=(me.requested_role or (me.roles[0].role if me.roles else Role.MENTEE)),
            fields=[callback_data.field],
            answers=answers_of(me),
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(profile, Command("profile"))
    router.callback_query.register(edit, ProfileCb.filter())
    return router
