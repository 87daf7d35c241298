"""/digest: the weekly digest now (the chart, the text with buttons to the pairs, the
export if the person asked for it with every digest); /digest settings and its buttons:
weekday, time, the export, on/off. Staff only; every value from a button is checked by
the service."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui import panel
from bot.ui.digest import settings as settings_view
from bot.ui.digest.callbacks import DigestCb
from bot.ui.digest.compose import compose
from services import staff_scope
from services.access import Actor
from services.clock import Clock
from services.digest import settings as digest_settings
from services.digest.planning import ExportWith
from services.export import scope as export_scope
from services.export.scope import ExportScope, Level


async def _send_digest(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, config: Settings
) -> None:
    """The digest now; a person with several scopes of their own (a curator of two
    schools) gets one for each, as on Mondays."""
    prefs = await digest_settings.prefs(session, actor)
    now = clock.now()
    own = await staff_scope.own_scopes(session, actor)
    scopes: list[ExportScope | None] = [None]  # None: their own, as /export takes it
    if len(own) > 1:
        scopes = [
            await export_scope.of_level(session, actor, Level(o.level), o.id, now) for o in own
        ]
    for scope in scopes:
        made = await compose(
            session, actor, now, ExportWith.ASKED if prefs.with_export else None, scope
        )
        await session.commit()
        if made.chart is not None:
            name, content = made.chart
            await message.answer_photo(
                BufferedInputFile(content, filename=name), caption=made.chart_caption
            )
        markup = panel.with_button(made.markup, config.webapp_url)
        await message.answer(made.text, reply_markup=markup)
        if made.export is not None:
            name, content = made.export
            await message.answer_document(
                BufferedInputFile(content, filename=name), caption=made.export_caption
            )
    if message.bot is not None:
        await panel.set_menu(message.bot, message.chat.id, actor, config.webapp_url)


async def _show_settings(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, *, edit: bool
) -> None:
    prefs = await digest_settings.prefs(session, actor)
    scope = await export_scope.of_export(session, actor, clock.now())
    await session.commit()
    text, markup = settings_view.text(prefs, scope.zone), settings_view.markup(prefs)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    settings: Settings,
) -> None:
    if (command.args or "").strip().lower() in ("settings", "настройки"):
        await _show_settings(message, session, actor, clock, edit=False)
        return
    await _send_digest(message, session, actor, clock, settings)


async def button(
    query: CallbackQuery,
    callback_data: DigestCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    settings: Settings,
) -> None:
    cb = callback_data
    message = query.message if isinstance(query.message, Message) else None
    if cb.action in ("settings", "now"):
        await digest_settings.prefs(session, actor)  # staff only, before anything is sent
        await query.answer()
        if message is not None:
            if cb.action == "now":
                await _send_digest(message, session, actor, clock, settings)
            else:
                await _show_settings(message, session, actor, clock, edit=False)
        return
    now = clock.now()
    if cb.action == "day":
        await digest_settings.change(session, actor, now, weekday=cb.value)
    elif cb.action == "time":
        await digest_settings.change(session, actor, now, minutes=cb.value)
    elif cb.action == "export":
        await digest_settings.change(session, actor, now, with_export=bool(cb.value))
    else:
        await digest_settings.change(session, actor, now, enabled=bool(cb.value))
    await query.answer(t("digest.saved"))
    if message is not None:
        await _show_settings(message, session, actor, clock, edit=True)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("digest"))
    router.callback_query.register(button, DigestCb.filter(F.action.in_(_ACTIONS)))
    return router


_ACTIONS = ("settings", "now", "day", "time", "export", "on")
