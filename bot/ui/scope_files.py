"""/export and /spravka share how a file's scope is found: the person's own (a curator's
school, a coordinator's municipality, a regional coordinator's region), or, for a person
with several scopes of their own, the one they pick with a button. The button's scope
is checked against who pressed it (services.export.scope.of_level) before anything is
built."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import ScopePickCb
from bot.ui.views import scope_pick as pick
from services import staff_scope
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.export import scope as export_scope
from services.export.scope import ExportScope

Send = Callable[[Message, AsyncSession, Actor, ExportScope], Awaitable[None]]


def create_router(what: str, send: Send) -> Router:
    """``/<what>`` and its scope buttons; ``send`` builds the file and sends it."""

    async def command(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
        if len(own := await staff_scope.own_scopes(session, actor)) > 1:
            await message.answer(pick.text(what), reply_markup=pick.markup(what, own))
            return
        await send(
            message, session, actor, await export_scope.of_export(session, actor, clock.now())
        )

    async def picked(
        query: CallbackQuery,
        callback_data: ScopePickCb,
        session: AsyncSession,
        actor: Actor,
        clock: Clock,
    ) -> None:
        level = pick.LEVEL_OF.get(callback_data.lvl)
        if level is None:
            raise DomainError("error.stale_button")
        scope = await export_scope.of_level(session, actor, level, callback_data.id, clock.now())
        await query.answer(t("scope_pick.making"))
        if isinstance(query.message, Message):
            await send(query.message, session, actor, scope)

    router = Router(name=f"{__name__}.{what}")
    router.message.register(command, Command(what))
    router.callback_query.register(picked, ScopePickCb.filter(F.what == what))
    return router
