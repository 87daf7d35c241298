"""Buttons on meeting messages: confirm or propose another time, move, cancel, «Встреча
состоялась?» → duration → (optional) topic, and the curator's «Пропустить этап» with a
typed reason. The date-and-time dialog lives in bot/ui/meetings_dialog.py and is
included here."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui import meetings_dialog
from bot.ui.callbacks import MeetingCb, MeetingDurationCb, StageSkipCb
from bot.ui.meetings_dialog import MeetingText, ask_topic, logged_text, topic_markup
from bot.ui.notices.meetings import block, durations_markup, ics_file, kind_name
from handlers.plan import plan_markup, plan_text
from models import GoalStatus
from services import meetings, plan
from services.access import Actor
from services.clock import Clock


async def _edit(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    if isinstance(query.message, Message):
        if query.message.document is not None:
            await query.message.edit_reply_markup(reply_markup=None)
            await query.message.answer(text, reply_markup=markup)
        else:
            await query.message.edit_text(text, reply_markup=markup)


async def _send_ics(bot: Bot, chat_id: int, caption: str, file: tuple[str, bytes]) -> None:
    name, content = file
    await bot.send_document(chat_id, BufferedInputFile(content, filename=name), caption=caption)


def _cancel_question(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.cancel_ok"),
        callback_data=MeetingCb(action="cancel_ok", meeting_id=meeting_id),
    )
    kb.button(
        text=t("meeting.button.keep"), callback_data=MeetingCb(action="keep", meeting_id=meeting_id)
    )
    kb.adjust(2)
    return kb.as_markup()


async def on_meeting(
    query: CallbackQuery,
    callback_data: MeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    dialog_manager: DialogManager,
) -> None:
    me, meeting_id, action = actor.participant_id, callback_data.meeting_id, callback_data.action
    if action == "confirm":
        info, already = await meetings.confirm(session, clock, me, meeting_id)
        await query.answer()
        await _edit(query, t("meeting.confirm.done_edit", meeting=block(info)))
        key = "meeting.confirm.already" if already else "meeting.confirm.you"
        await _send_ics(
            bot, query.from_user.id, t(key, meeting=block(info)), ics_file(info, clock.now())
        )
    elif action in ("counter", "move"):
        await meetings.check_movable(session, me, meeting_id, counter=action == "counter")
        await query.answer()
        mode = meetings_dialog.COUNTER if action == "counter" else meetings_dialog.MOVE
        await meetings_dialog.start(dialog_manager, mode, meeting_id=meeting_id)
    elif action == "cancel":
        info = await meetings.check_cancellable(session, me, meeting_id)
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.answer(
                t("meeting.cancel.ask", meeting=block(info)),
                reply_markup=_cancel_question(meeting_id),
            )
    elif action == "cancel_ok":
        info, was_confirmed = await meetings.cancel(session, clock, me, meeting_id)
        await query.answer()
        await _edit(query, t("meeting.cancel.done", meeting=block(info)))
        if was_confirmed:
            await _send_ics(
                bot,
                query.from_user.id,
                t("meeting.cancel.ics"),
                ics_file(info, clock.now(), cancel=True),
            )
    elif action == "keep":
        await meetings.meeting_for_member(session, me, meeting_id)
        await query.answer()
        await _edit(query, t("meeting.cancel.kept"))
    elif action == "yes":
        info = await meetings.check_loggable(session, clock, me, meeting_id)
        await query.answer()
        await _edit(
            query,
            t("meeting.happened.duration", meeting=block(info)),
            durations_markup(meeting_id),
        )
    elif action == "no":
        info = await meetings.log_not_held(session, clock, me, meeting_id)
        await query.answer()
        await _edit(
            query, t("meeting.not_held.saved", meeting=block(info), kind=kind_name(info.kind))
        )
    elif action == "topic_skip":
        info = await meetings.meeting_for_member(session, me, meeting_id)
        if await state.get_state() == MeetingText.topic.state:
            await state.clear()
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
            await query.message.answer(t("meeting.topic.skipped"))
            await _offer_goals(query.message, session, actor, clock, info.pair_id)
    else:
        await query.answer(t("error.stale_button"), show_alert=True)


async def on_duration(
    query: CallbackQuery,
    callback_data: MeetingDurationCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    state: FSMContext,
) -> None:
    me = actor.participant_id
    info = await meetings.log_held(
        session, clock, me, callback_data.meeting_id, callback_data.minutes
    )
    card = await meetings.card_of(session, me or 0, info.pair_id)
    await query.answer()
    await ask_topic(state, info.id)
    await _edit(query, logged_text(info, card), topic_markup(info.id))


async def on_topic(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    if not message.text:
        await message.answer(t("meeting.dlg.text_only"))
        return
    data = await state.get_data()
    info = await meetings.set_topic(
        session, actor.participant_id, int(data["meeting_id"]), message.text
    )
    await state.clear()
    await message.answer(t("meeting.topic.saved"))
    await _offer_goals(message, session, actor, clock, info.pair_id)


async def _offer_goals(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, pair_id: int
) -> None:
    """The log's last optional step: mark progress on the personal plan, if it has open
    goals (the buttons are the plan's own, so /plan and this step act the same)."""
    view = await plan.plan_of(session, actor, pair_id, clock.now())
    if view.can_mark and any(g.status != GoalStatus.DONE for g in view.goals):
        await message.answer(
            t("meeting.goals.offer") + "\n\n" + plan_text(view), reply_markup=plan_markup(view)
        )


async def on_skip_stage(
    query: CallbackQuery,
    callback_data: StageSkipCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
) -> None:
    kind = await meetings.check_skippable(session, actor, callback_data.pair_id)
    await query.answer()
    await state.set_state(MeetingText.skip_reason)
    await state.set_data({"pair_id": callback_data.pair_id})
    if isinstance(query.message, Message):
        await query.message.answer(t("meeting.skip.ask", kind=kind_name(kind)))


async def on_skip_reason(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    if not message.text:
        await message.answer(t("meeting.error.reason"))
        return
    data = await state.get_data()
    skipped = await meetings.skip_stage(session, clock, actor, int(data["pair_id"]), message.text)
    await state.clear()
    nxt = await meetings.next_kind_of(session, int(data["pair_id"]))
    after = kind_name(nxt) if nxt else t("meeting.next.none")
    await message.answer(t("meeting.skip.done", kind=kind_name(skipped), next=after))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_meeting, MeetingCb.filter())
    router.callback_query.register(on_duration, MeetingDurationCb.filter())
    router.callback_query.register(on_skip_stage, StageSkipCb.filter())
    router.message.register(on_topic, MeetingText.topic)
    router.message.register(on_skip_reason, MeetingText.skip_reason)
    router.include_router(meetings_dialog.create_dialog())
    return router
