"""/my: my pair or group, the next meeting and what comes next, with «Назначить встречу»,
«Записать встречу» and «Перейти к итоговой встрече»; /meetings: the history, paged."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui import meetings_dialog
from bot.ui.callbacks import MeetingsPageCb, PairMeetingAction, PairMeetingCb
from bot.ui.meetings_dialog import Mode
from bot.ui.replies import edit_or_send, send_below
from bot.ui.views import agreement as agreement_views
from bot.ui.views.meetings import (
    card_markup,
    card_text,
    final_question_markup,
    history_markup,
    history_text,
)
from models import LIVE_PAIR
from services import meetings
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.pairs import early_end


async def my(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    dialog_manager: DialogManager,
) -> None:
    if actor.participant_id is None or not actor.roles:
        await message.answer(t("error.not_registered"))
        return
    if dialog_manager.has_context():
        await dialog_manager.reset_stack()  # a forgotten date picker closes
    cards = await meetings.my_pairs(session, actor.participant_id)
    if not cards:
        await message.answer(t("my.none"))
        return
    now = clock.now()
    endings = await early_end.scheduled(session, [c.pair_id for c in cards if c.ending_scheduled])
    for card in cards:
        passed = card.open_meeting is not None and card.open_meeting.starts_at <= now
        text, markup = agreement_views.my_card(
            card_text(card, passed),
            card_markup(card, actor.participant_id, passed),
            card.pair_id,
            card.status in LIVE_PAIR,
            endings.get(card.pair_id),
            actor.participant_id,
        )
        await message.answer(text, reply_markup=markup)


async def open_dialog(
    query: CallbackQuery,
    callback_data: PairMeetingCb,
    session: AsyncSession,
    actor: Actor,
    dialog_manager: DialogManager,
) -> None:
    log = callback_data.action == PairMeetingAction.LOG
    await meetings.check_schedulable(session, actor.participant_id, callback_data.pair_id, log=log)
    mode = Mode.LOG if log else Mode.SCHEDULE
    await meetings_dialog.start(dialog_manager, mode, pair_id=callback_data.pair_id)


async def ask_final(
    query: CallbackQuery, callback_data: PairMeetingCb, session: AsyncSession, actor: Actor
) -> None:
    card = await meetings.card_of(session, actor.participant_id or 0, callback_data.pair_id)
    if not card.can_go_final:
        raise DomainError("meeting.error.no_final_yet")
    await send_below(query, t("meeting.final.ask"), final_question_markup(callback_data.pair_id))


async def go_final(
    query: CallbackQuery,
    callback_data: PairMeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    await meetings.go_final(session, clock, actor.participant_id, callback_data.pair_id)
    await edit_or_send(query, t("meeting.final.done"))


async def history(message: Message, session: AsyncSession, actor: Actor) -> None:
    if actor.participant_id is None or not actor.roles:
        await message.answer(t("error.not_registered"))
        return
    page = await meetings.history(session, actor.participant_id)
    if page.total == 0:
        await message.answer(t("meetings.none"))
        return
    await message.answer(history_text(page), reply_markup=history_markup(page))


async def history_page(
    query: CallbackQuery, callback_data: MeetingsPageCb, session: AsyncSession, actor: Actor
) -> None:
    if actor.participant_id is None:
        raise DomainError("error.not_registered")
    # Only the presser's own meetings are ever listed, whatever page is asked for.
    page = await meetings.history(session, actor.participant_id, callback_data.page)
    await edit_or_send(query, history_text(page), history_markup(page))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(my, Command("my"))
    router.message.register(history, Command("meetings"))
    pair_action = PairMeetingCb.filter
    router.callback_query.register(
        open_dialog,
        pair_action(F.action.in_({PairMeetingAction.SCHEDULE, PairMeetingAction.LOG})),
    )
    router.callback_query.register(ask_final, pair_action(F.action == PairMeetingAction.FINAL))
    router.callback_query.register(go_final, pair_action(F.action == PairMeetingAction.FINAL_OK))
    router.callback_query.register(history_page, MeetingsPageCb.filter())
    return router
