"""/profile: every field, and «Изменить» for any one of them."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import ProfileCb
from bot.ui.render import answers_text, role_name
from handlers import form
from models import Participant, ParticipantStatus, Role
from services import catalogue
from services.participants import answers_of
from services.questionnaire import STAFF_FIELDS, fields_for


def profile_fields(p: Participant) -> list[str]:
    fields: list[str] = list(STAFF_FIELDS)
    for role in (Role.MENTEE, Role.MENTOR):
        if p.has_role(role) or p.requested_role == role:
            fields += [f for f in fields_for(role) if f not in fields]
    return fields


def _markup(fields: list[str]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for f in fields:
        kb.button(
            text=t("profile.edit_button", label=t(f"form.label.{f}")),
            callback_data=ProfileCb(field=f),
        )
    kb.adjust(2)
    return kb.as_markup()


async def show_profile(message: Message, session: AsyncSession, me: Participant) -> None:
    fields = profile_fields(me)
    names = {e.id: e.title for e in await catalogue.active_items(session)}
    roles = ", ".join(
        role_name(g.role)
        + (f" ({g.school.name})" if g.school else "")
        + (f" ({g.municipality.name})" if g.municipality else "")
        for g in me.roles
    ) or t("profile.no_roles")
    status = t(f"profile.status.{me.status.value}")
    await message.answer(
        t(
            "profile.card",
            roles=roles,
            status=status,
            school=me.school.name if me.school else "—",
            answers=answers_text(fields, answers_of(me), names),
        ),
        reply_markup=_markup(fields),
    )


def _registered(me: Participant | None) -> bool:
    return me is not None and me.status in (ParticipantStatus.ACTIVE, ParticipantStatus.PENDING)


async def profile(message: Message, session: AsyncSession, me: Participant | None) -> None:
    if me is None or not _registered(me):
        await message.answer(t("error.not_registered"))
        return
    await show_profile(message, session, me)


async def edit(
    query: CallbackQuery,
    callback_data: ProfileCb,
    state: FSMContext,
    session: AsyncSession,
    me: Participant | None,
) -> None:
    # The field comes from the client: only the presser's own profile fields are editable.
    if me is None or not _registered(me) or callback_data.field not in profile_fields(me):
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await form.start(
            query.message,
            state,
            session,
            mode="edit",
            role=(me.requested_role or (me.roles[0].role if me.roles else Role.MENTEE)),
            fields=[callback_data.field],
            answers=answers_of(me),
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(profile, Command("profile"))
    router.callback_query.register(edit, ProfileCb.filter())
    return router
