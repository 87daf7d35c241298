"""/holidays: the municipality's school holidays (каникулы) of the academic year, when no
reminder is sent. Curators see their municipality's list, regional coordinators their
region's municipalities'; coordinators (and admins) add holidays through a date dialog
and remove them after a confirmation. A person with several municipalities (a
coordinator of two, a curator of schools in two, a regional coordinator) picks one
first. On the staff router: teachers are told it is not for them. Every id from a button
is checked by services.holidays against who pressed it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
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


async def _opened(
    session: AsyncSession, actor: Actor, clock: Clock, municipality_id: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A municipality's list (0: the person's only one), or the choice of one."""
    choice = await holidays.municipalities(session, actor)
    several = len(choice) > 1
    if not municipality_id:
        if several:
            return views.pick_text(), views.pick_markup(choice)
        municipality_id = choice[0][0]
    found = await holidays.of_year(session, actor, municipality_id, clock.now())
    return views.list_text(found), views.list_markup(found, several=several)


async def command(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    text, markup = await _opened(session, actor, clock)
    await message.answer(text, reply_markup=markup)


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
    # Back to the list the button was on (its id is checked again), or to the choice.
    municipality_id = 0 if action == HolidayAction.PICK else callback_data.m
    text, markup = await _opened(session, actor, clock, municipality_id)
    await edit_or_send(query, text, markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("holidays"))
    router.callback_query.register(on_button, HolidayCb.filter())
    return router
