"""/pending and the curator's approve / decline buttons. The person decided about is
told through the outbox (services.approvals queues it); only the presser gets a reply."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.approvals import request_markup, request_text
from bot.ui.callbacks import ApprovalCb
from bot.ui.render import role_name
from services import approvals, registration
from services.access import Actor
from services.clock import Clock


async def pending(message: Message, session: AsyncSession, actor: Actor) -> None:
    if not actor.is_staff:
        await message.answer(t("error.staff_only"))
        return
    items = await registration.pending(session, actor)
    if not items:
        await message.answer(t("approval.none"))
        return
    await message.answer(t("approval.count", n=len(items)))
    for item in items:
        await message.answer(request_text(item), reply_markup=request_markup(item.participant_id))


async def decide(
    query: CallbackQuery,
    callback_data: ApprovalCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    if callback_data.action == "ok":
        decision = await approvals.approve(session, actor, callback_data.participant_id, clock)
    elif callback_data.action == "no":
        decision = await approvals.decline(session, actor, callback_data.participant_id, clock)
    else:
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    key = "approval.done_ok" if decision.approved else "approval.done_no"
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            t(key, name=decision.full_name, role=role_name(decision.role))
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pending, Command("pending"))
    router.callback_query.register(decide, ApprovalCb.filter())
    return router
