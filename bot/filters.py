"""Router-level filters: a feature's router says once who it serves."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.i18n import t
from services.access import Actor


class NotCommand(Filter):
    """Typed text for a step; commands pass on to their own handlers (the step stays)."""

    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").startswith("/")


class StaffOnly(Filter):
    """Curators and coordinators. Anyone else is told so here, once, and the update
    goes no further."""

    async def __call__(self, event: Message | CallbackQuery, actor: Actor) -> bool:
        if actor.is_staff:
            return True
        if isinstance(event, Message):
            await event.answer(t("error.staff_only"))
        else:
            await event.answer(t("error.staff_only"), show_alert=True)
        return False
