"""/cancel and /help (first), and the catch-all that answers anything unrecognised (last)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import t
from bot.ui.commands import commands_for
from services.access import Actor
from services.errors import DomainError


async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(t("cancel.nothing"))
        return
    await state.clear()
    await message.answer(t("cancel.done"))


async def help_(message: Message, actor: Actor) -> None:
    lines = [f"/{name} — {t(f'command.{name}')}" for name in commands_for(actor)]
    if actor.participant_id is not None:  # not in the menu, so people don't press it by chance
        lines.append(f"/delete_me — {t('command.delete_me')}")
    await message.answer(t("help.text", commands="\n".join(lines)))


async def unknown(message: Message) -> None:
    await message.answer(t("fallback.message"))


async def stale(query: CallbackQuery) -> None:
    raise DomainError("error.stale_button")


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cancel, Command("cancel"))
    router.message.register(help_, Command("help"))
    return router


def create_fallback_router() -> Router:
    router = Router(name=__name__ + ".fallback")
    router.message.register(unknown)
    router.callback_query.register(stale)
    return router
