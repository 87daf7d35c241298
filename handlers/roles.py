"""/roles: admins make coordinators, coordinators make curators of a school."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import GrantCb
from bot.ui.render import role_name
from models import Role
from services import regions, roles
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError


class RolesSearch(StatesGroup):
    query = State()


def _may_grant(actor: Actor) -> bool:
    return actor.is_admin or Role.COORDINATOR in actor.roles


async def start(message: Message, state: FSMContext, actor: Actor) -> None:
    if not _may_grant(actor):
        await message.answer(t("error.coordinator_only"))
        return
    await state.set_state(RolesSearch.query)
    await message.answer(t("roles.ask_name"))


async def search(message: Message, state: FSMContext, session: AsyncSession, actor: Actor) -> None:
    text = (message.text or "").strip()
    if not text or text.startswith("/") or len(text) > 100:
        await message.answer(t("roles.ask_name"))
        return
    found = await roles.search_people(session, actor, text)
    if not found:
        await message.answer(t("roles.not_found", query=text))
        return
    await state.clear()
    for person in found:
        kb = InlineKeyboardBuilder()
        if Role.CURATOR not in person.roles and person.school_name:
            kb.button(
                text=t("roles.make_curator"),
                callback_data=GrantCb(role=Role.CURATOR, participant_id=person.participant_id),
            )
        if Role.CLUB_ORGANISER not in person.roles and person.school_name:
            kb.button(
                text=t("roles.make_club_organiser"),
                callback_data=GrantCb(
                    role=Role.CLUB_ORGANISER, participant_id=person.participant_id
                ),
            )
        if actor.is_admin and Role.COORDINATOR not in person.roles and person.school_name:
            kb.button(
                text=t("roles.make_coordinator"),
                callback_data=GrantCb(role=Role.COORDINATOR, participant_id=person.participant_id),
            )
        if actor.is_admin and Role.REGIONAL_COORDINATOR not in person.roles and person.school_name:
            kb.button(
                text=t("region.make_regional_coordinator"),
                callback_data=GrantCb(
                    role=Role.REGIONAL_COORDINATOR, participant_id=person.participant_id
                ),
            )
        kb.adjust(1)
        held = ", ".join(role_name(r) for r in person.roles) or t("profile.no_roles")
        await message.answer(
            t("roles.person", name=person.full_name, school=person.school_name or "—", roles=held),
            reply_markup=kb.as_markup(),
        )


async def grant(
    query: CallbackQuery,
    callback_data: GrantCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    # The person is told (and their menu updated) through the outbox: services.roles
    # queues the notice in the grant's transaction.
    if callback_data.role == Role.COORDINATOR:
        place = await roles.make_coordinator(session, actor, callback_data.participant_id, clock)
    elif callback_data.role == Role.CURATOR:
        place = await roles.make_curator(session, actor, callback_data.participant_id, clock)
    elif callback_data.role == Role.CLUB_ORGANISER:
        place = await roles.make_club_organiser(session, actor, callback_data.participant_id, clock)
    elif callback_data.role == Role.REGIONAL_COORDINATOR:
        place = await regions.make_regional_coordinator(
            session, actor, callback_data.participant_id, clock
        )
    else:
        raise DomainError("error.stale_button")
    if isinstance(query.message, Message):
        await query.message.edit_text(
            t("roles.granted", role=role_name(callback_data.role), place=place)
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, Command("roles"))
    router.message.register(search, RolesSearch.query)
    router.callback_query.register(grant, GrantCb.filter())
    return router
