"""/pending and the curator's approve / decline buttons."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot import notify
from bot.config import Settings
from bot.i18n import t
from bot.ui import commands
from bot.ui.callbacks import ApprovalCb
from bot.ui.render import role_name
from models import Participant
from services import registration
from services.access import Actor
from services.clock import Clock
from services.participants import find_live
from services.registration import PendingItem


def request_markup(participant_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("approval.button.ok"),
        callback_data=ApprovalCb(action="ok", participant_id=participant_id),
    )
    kb.button(
        text=t("approval.button.no"),
        callback_data=ApprovalCb(action="no", participant_id=participant_id),
    )
    kb.adjust(2)
    return kb.as_markup()


def _item_text(item: PendingItem) -> str:
    return t(
        "approval.request",
        name=item.full_name,
        role=role_name(item.role),
        school=item.school_name,
        position=item.position or "—",
        subject=item.subject or "—",
        experience=t("form.value.years", n=item.experience_years or 0),
    )


def request_text(participant: Participant) -> str:
    assert participant.requested_role is not None
    return _item_text(
        PendingItem(
            participant_id=participant.id,
            full_name=participant.full_name or "",
            role=participant.requested_role,
            school_name=participant.school.name if participant.school else "",
            position=participant.position,
            subject=participant.subject,
            experience_years=participant.experience_years,
        )
    )


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
        await message.answer(_item_text(item), reply_markup=request_markup(item.participant_id))


async def decide(
    query: CallbackQuery,
    callback_data: ApprovalCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    if callback_data.action == "ok":
        decision = await registration.approve(session, actor, callback_data.participant_id, clock)
    else:
        decision = await registration.decline(session, actor, callback_data.participant_id, clock)
    key = "approval.done_ok" if decision.approved else "approval.done_no"
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            t(key, name=decision.full_name, role=role_name(decision.role))
        )
    if decision.approved:
        person = await find_live(session, decision.telegram_id)
        await notify.send(
            bot, decision.telegram_id, t("approval.you_ok", role=role_name(decision.role))
        )
        await commands.sync(
            bot,
            decision.telegram_id,
            Actor.of(
                decision.telegram_id, person, is_admin=decision.telegram_id in settings.admin_ids
            ),
        )
    else:
        await notify.send(
            bot, decision.telegram_id, t("approval.you_no", role=role_name(decision.role))
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pending, Command("pending"))
    router.callback_query.register(decide, ApprovalCb.filter())
    return router
