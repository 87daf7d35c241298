"""/pending and the curator's approve / decline buttons. The person decided about is
told through the outbox (services.approvals queues it); only the presser gets a reply.
Staff only (the staff router in handlers/staff.py)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.approvals import decided_text, request_markup, request_text
from bot.ui.callbacks import ApprovalAction, ApprovalCb
from bot.ui.replies import edit_or_send
from services import approvals, registration
from services.access import Actor
from services.clock import Clock


async def pending(message: Message, session: AsyncSession, actor: Actor) -> None:
    items = await registration.pending(session, actor)
    if not items:
        await message.answer(t("approval.none"))
        return
    await message.answer(t("approval.count", n=len(items)))
    for item in items:
        await message.answer(request_text(item), reply_markup=request_markup(item.participant_id))


DECIDE = {ApprovalAction.OK: approvals.approve, ApprovalAction.NO: approvals.decline}


async def decide(
    query: CallbackQuery,
    callback_data: ApprovalCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    service = DECIDE[callback_data.action]
    decision = await service(session, actor, callback_data.participant_id, clock)
    await edit_or_send(query, decided_text(decision))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pending, Command("pending"))
    router.callback_query.register(decide, ApprovalCb.filter())
    return router
