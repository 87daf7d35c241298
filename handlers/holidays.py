"""/holidays: the municipality's school holidays (каникулы) of the academic year, when no
reminder is sent. Curators see their municipality's list; coordinators (and admins)
add holidays through a date dialog and remove them after a confirmation. On the staff
router: teachers are told it is not for them. Every id from a button is checked by
services.holidays against who pressed it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui import holidays_dialog
from bot.ui.callbacks import HolidayAction, HolidayCb
from bot.ui.replies import edit_or_send
from bot.ui.views import holidays as views
from services import holidays
from services.access import Actor
from services.clock import Clock
from services.errors import AccessDenied


async def command(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    municipality_id = await holidays.municipality_of(session, actor)
    found = await holidays.of_year(session, actor, municipality_id, clock.now())
    await message.answer(views.list_text(found), reply_markup=views.list_markup(found))


async def on_button(
    query: CallbackQuery,
    callback_data: HolidayCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    dialog_manager: DialogManager,
    callback_answer: CallbackAnswer,
) -> None:
    action = callback_data.action
    if action == HolidayAction.ADD:
        if not holidays.may_edit(actor, callback_data.m):
            raise AccessDenied()
        await holidays_dialog.start(dialog_manager, callback_data.m)
        return
    if action == HolidayAction.ASK:
        item = await holidays.find(session, actor, callback_data.h)
        if item is None:
            callback_answer.text = t("holidays.remove.gone")
        else:
            await edit_or_send(query, views.confirm_text(item), views.confirm_markup(item))
            return
    elif action == HolidayAction.REMOVE:
        removed = await holidays.remove(session, actor, callback_data.h, clock.now())
        callback_answer.text = t("holidays.remove.done" if removed else "holidays.remove.gone")
    municipality_id = await holidays.municipality_of(session, actor)
    found = await holidays.of_year(session, actor, municipality_id, clock.now())
    await edit_or_send(query, views.list_text(found), views.list_markup(found))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("holidays"))
    router.callback_query.register(on_button, HolidayCb.filter())
    return router
