"""/cancel and /help (first), and the catch-all that answers anything unrecognised (last)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import t
from bot.ui.commands import commands_for
from services.access import Actor

router = Router(name=__name__)
fallback_router = Router(name=__name__ + ".fallback")


@router.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(t("cancel.nothing"))
        return
    await state.clear()
    await message.answer(t("cancel.done"))


@router.message(Command("help"))
async def help_(message: Message, actor: Actor) -> None:
    lines = [f"/{name} — {t(f'command.{name}')}" for name in commands_for(actor)]
    if "delete_me" not in lines:
        lines.append(f"/delete_me — {t('command.delete_me')}")
    await message.answer(t("help.text", commands="\n".join(lines)))


@fallback_router.message()
async def unknown(message: Message) -> None:
    await message.answer(t("fallback.message"))


@fallback_router.callback_query()
async def stale(query: CallbackQuery) -> None:
    await query.answer(t("error.stale_button"), show_alert=True)
