"""/privacy and /delete_me: the consent text, when it was given, and withdrawal."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui import commands
from bot.ui.callbacks import ConsentAction, ConsentCb, PrivacyAction, PrivacyCb
from bot.ui.consent import consent_document
from bot.ui.dates import local_time
from bot.ui.views import privacy as views
from services import consent
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.participants import find_live


async def privacy(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    document = consent_document(settings)
    me = await find_live(session, actor.telegram_id) if actor.participant_id else None
    record = await consent.latest(session, me.id) if me is not None else None
    if me is None:
        await message.answer(document.text + "\n\n" + t("privacy.not_given"))
        return
    if record is None:  # added by a curator or the demo data, never asked in the bot
        await message.answer(
            document.text + "\n\n" + t("privacy.no_record"), reply_markup=views.delete_button()
        )
        return
    zone = me.school.timezone if me.school else settings.default_timezone
    await message.answer(
        document.text
        + "\n\n"
        + t("privacy.given", at=local_time(record.given_at, zone), version=record.text_version),
        reply_markup=views.delete_button(),
    )


async def delete_me(message: Message, actor: Actor) -> None:
    if actor.participant_id is None:
        await message.answer(t("privacy.nothing_to_delete"))
        return
    await message.answer(t("privacy.confirm"), reply_markup=views.confirm_buttons())


async def delete_button(query: CallbackQuery, actor: Actor) -> None:
    if isinstance(query.message, Message):
        if actor.participant_id is None:
            await query.message.answer(t("privacy.nothing_to_delete"))
            return
        await query.message.answer(t("privacy.confirm"), reply_markup=views.confirm_buttons())


async def keep(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        await query.message.edit_text(t("privacy.kept"))


async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    if not isinstance(query.message, Message):
        return
    me = await find_live(session, query.from_user.id)
    if me is None:
        await query.message.edit_text(t("privacy.nothing_to_delete"))
        return
    await consent.withdraw(session, me, clock, settings.consent_key())
    await state.clear()  # the rest of the person's FSM records: ForgetErasedMiddleware
    await query.message.edit_text(t("privacy.deleted"))
    await commands.reset(bot, query.from_user.id)


async def renew(
    query: CallbackQuery,
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    me = await find_live(session, query.from_user.id)
    if me is None:
        raise DomainError("privacy.nothing_to_delete")
    recorded = await consent.renew(
        session, me, consent_document(settings), clock, settings.consent_key()
    )
    callback_answer.text = t("erasure.consent.renewed" if recorded else "erasure.consent.already")
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(privacy, Command("privacy"))
    router.message.register(delete_me, Command("delete_me"))
    router.callback_query.register(
        delete_button, PrivacyCb.filter(F.action == PrivacyAction.DELETE)
    )
    router.callback_query.register(keep, PrivacyCb.filter(F.action == PrivacyAction.KEEP))
    router.callback_query.register(confirm, PrivacyCb.filter(F.action == PrivacyAction.CONFIRM))
    router.callback_query.register(renew, ConsentCb.filter(F.action == ConsentAction.RENEW))
    return router
