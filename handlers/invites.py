"""/invite: a deep link for a role and a school (or a municipality). Once the link is
made, the role buttons go, so a second tap does not make another link."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui.callbacks import InviteRoleCb, InviteScopeCb
from bot.ui.render import role_name
from bot.ui.replies import drop_buttons, edit_or_send
from bot.ui.views import invites as views
from models import Role
from services import invites, schools
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError


async def invite(message: Message, actor: Actor) -> None:
    roles = invites.roles_actor_may_invite(actor)
    if not roles:
        await message.answer(t("error.staff_only"))
        return
    await message.answer(t("invite.choose_role"), reply_markup=views.roles_markup(list(roles)))


async def chose_role(
    query: CallbackQuery,
    callback_data: InviteRoleCb,
    actor: Actor,
    session: AsyncSession,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    if callback_data.role not in invites.roles_actor_may_invite(actor) or not isinstance(
        query.message, Message
    ):
        raise DomainError("error.access_denied")
    role = callback_data.role
    if role == Role.COORDINATOR:
        options = [(m.id, m.name) for m in await schools.municipalities(session)]
    else:
        options = [(s.id, s.name) for s in await schools.in_scope(session, actor)]
        if len(options) == 1:
            await _create(
                query, actor, session, clock, bot, settings, role, school_id=options[0][0]
            )
            return
    if not options:
        await query.message.answer(t("registration.no_schools"))
        return
    await edit_or_send(
        query, t("invite.choose_scope", role=role_name(role)), views.scopes_markup(role, options)
    )


async def chose_scope(
    query: CallbackQuery,
    callback_data: InviteScopeCb,
    actor: Actor,
    session: AsyncSession,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    await _create(
        query,
        actor,
        session,
        clock,
        bot,
        settings,
        callback_data.role,
        school_id=callback_data.school_id or None,
        municipality_id=callback_data.municipality_id or None,
    )


async def _create(
    query: CallbackQuery,
    actor: Actor,
    session: AsyncSession,
    clock: Clock,
    bot: Bot,
    settings: Settings,
    role: Role,
    *,
    school_id: int | None = None,
    municipality_id: int | None = None,
) -> None:
    # services.invites.create re-checks the role and the scope against the presser.
    info = await invites.create(
        session,
        actor,
        role=role,
        school_id=school_id,
        municipality_id=municipality_id,
        clock=clock,
        days=settings.invite_days,
        max_uses=settings.invite_max_uses,
        staff_hours=settings.staff_invite_hours,
    )
    me = await bot.me()
    link = invites.deep_link(me.username or "", info.code)
    text = views.created_text(
        info,
        role,
        link,
        staff_hours=settings.staff_invite_hours,
        zone=settings.default_timezone,
    )
    await drop_buttons(query)  # the link is made: a second tap would make another
    if isinstance(query.message, Message):
        await query.message.answer(text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(invite, Command("invite"))
    router.callback_query.register(chose_role, InviteRoleCb.filter())
    router.callback_query.register(chose_scope, InviteScopeCb.filter())
    return router
