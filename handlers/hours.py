"""/hours: the mentor's month (meetings held and other mentoring work) and logging work
besides meetings in two taps: the kind, then the minutes."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import HoursCb
from bot.ui.replies import edit_or_send
from bot.ui.views import hours as views
from models import ActivityKind
from services import hours
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError


async def hours_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    month, first = await hours.my_month(session, actor, clock)
    text, markup = views.month_view(month, views.month_title(first))
    await message.answer(text, reply_markup=markup)


async def tapped(
    query: CallbackQuery, callback_data: HoursCb, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    try:
        kind = ActivityKind(callback_data.kind)
    except ValueError as exc:
        raise DomainError("error.stale_button") from exc
    if not callback_data.minutes:
        await hours.my_month(session, actor, clock)  # refuses a non-mentor before the choice
        await edit_or_send(query, *views.minutes_view(kind))
        return
    month, first = await hours.log(session, actor, kind, callback_data.minutes, clock)
    lead = t("hours.logged", kind=views.kind_name(kind), time=views.duration(callback_data.minutes))
    await edit_or_send(query, *views.month_view(month, views.month_title(first), lead=lead))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(hours_command, Command("hours"))
    router.callback_query.register(tapped, HoursCb.filter())
    return router
