"""Buttons on meeting messages: confirm or propose another time, move, cancel, «Встреча
состоялась?» → duration → (optional) topic, and the curator's «Пропустить этап» with a
typed reason. One handler per action; the date-and-time dialog is bot/ui/meetings_dialog."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui import meetings_dialog
from bot.ui.callbacks import MeetingAction, MeetingCb, MeetingDurationCb, StageSkipCb
from bot.ui.kinds import kind_title
from bot.ui.meetings_dialog import MeetingText, Mode, ask_topic
from bot.ui.replies import drop_buttons, edit_or_send, send_below
from bot.ui.views.meeting import block, cancel_question_markup, durations_markup, ics_file
from bot.ui.views.meetings import logged_text, topic_markup
from bot.ui.views.plan import plan_markup, plan_text
from models import GoalStatus
from services import meetings, plan
from services.access import Actor
from services.clock import Clock


async def _reply_ics(query: CallbackQuery, caption: str, file: tuple[str, bytes]) -> None:
    """The calendar file, as the reply to the person who pressed (the other side gets
    theirs through the outbox)."""
    name, content = file
    document = BufferedInputFile(content, filename=name)
    if isinstance(query.message, Message):
        await query.message.answer_document(document, caption=caption)


async def confirm(
    query: CallbackQuery,
    callback_data: MeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    info, already = await meetings.confirm(
        session, clock, actor.participant_id, callback_data.meeting_id
    )
    await edit_or_send(query, t("meeting.confirm.done_edit", meeting=block(info)))
    key = "meeting.confirm.already" if already else "meeting.confirm.you"
    await _reply_ics(query, t(key, meeting=block(info)), ics_file(info, clock.now()))


async def move(
    query: CallbackQuery,
    callback_data: MeetingCb,
    session: AsyncSession,
    actor: Actor,
    dialog_manager: DialogManager,
) -> None:
    counter = callback_data.action == MeetingAction.COUNTER
    await meetings.check_movable(
        session, actor.participant_id, callback_data.meeting_id, counter=counter
    )
    mode = Mode.COUNTER if counter else Mode.MOVE
    await meetings_dialog.start(dialog_manager, mode, meeting_id=callback_data.meeting_id)


async def ask_cancel(
    query: CallbackQuery, callback_data: MeetingCb, session: AsyncSession, actor: Actor
) -> None:
    info = await meetings.check_cancellable(session, actor.participant_id, callback_data.meeting_id)
    await send_below(
        query,
        t("meeting.cancel.ask", meeting=block(info)),
        cancel_question_markup(callback_data.meeting_id),
    )


async def cancel(
    query: CallbackQuery,
    callback_data: MeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    info, was_confirmed = await meetings.cancel(
        session, clock, actor.participant_id, callback_data.meeting_id
    )
    await edit_or_send(query, t("meeting.cancel.done", meeting=block(info)))
    if was_confirmed:
        file = ics_file(info, clock.now(), cancel=True)
        await _reply_ics(query, t("meeting.cancel.ics"), file)


async def keep(
    query: CallbackQuery, callback_data: MeetingCb, session: AsyncSession, actor: Actor
) -> None:
    await meetings.meeting_for_member(session, actor.participant_id, callback_data.meeting_id)
    await edit_or_send(query, t("meeting.cancel.kept"))


async def held(
    query: CallbackQuery,
    callback_data: MeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    info = await meetings.check_loggable(
        session, clock, actor.participant_id, callback_data.meeting_id
    )
    await edit_or_send(
        query,
        t("meeting.happened.duration", meeting=block(info)),
        durations_markup(callback_data.meeting_id),
    )


async def not_held(
    query: CallbackQuery,
    callback_data: MeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    info = await meetings.log_not_held(
        session, clock, actor.participant_id, callback_data.meeting_id
    )
    await edit_or_send(
        query, t("meeting.not_held.saved", meeting=block(info), kind=kind_title(info.kind))
    )


async def skip_topic(
    query: CallbackQuery,
    callback_data: MeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    state: FSMContext,
) -> None:
    info = await meetings.skip_topic(session, clock, actor.participant_id, callback_data.meeting_id)
    if await state.get_state() == MeetingText.topic.state:
        await state.clear()
    if isinstance(query.message, Message):
        await drop_buttons(query)
        await query.message.answer(t("meeting.topic.skipped"))
        await _offer_goals(query.message, session, actor, clock, info.pair_id)


async def on_duration(
    query: CallbackQuery,
    callback_data: MeetingDurationCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    state: FSMContext,
) -> None:
    me = actor.participant_id
    logged = await meetings.log_held(
        session, clock, me, callback_data.meeting_id, callback_data.minutes
    )
    await ask_topic(state, logged.meeting.id)
    await edit_or_send(query, logged_text(logged), topic_markup(logged.meeting.id))


async def on_topic(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    if not message.text:
        await message.answer(t("meeting.dlg.text_only"))
        return
    data = await state.get_data()
    info = await meetings.set_topic(
        session, clock, actor.participant_id, int(data["meeting_id"]), message.text
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
    await state.set_state(MeetingText.skip_reason)
    await state.set_data({"pair_id": callback_data.pair_id})
    await send_below(query, t("meeting.skip.ask", kind=kind_title(kind)))


async def on_skip_reason(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    if not message.text:
        await message.answer(t("meeting.error.reason"))
        return
    pair_id = int((await state.get_data())["pair_id"])
    skipped = await meetings.skip_stage(session, clock, actor, pair_id, message.text)
    await state.clear()
    nxt = await meetings.next_kind_of(session, pair_id)
    after = kind_title(nxt) if nxt else t("meeting.next.none")
    await message.answer(t("meeting.skip.done", kind=kind_title(skipped), next=after))


def create_router() -> Router:
    router = Router(name=__name__)
    on = router.callback_query.register
    on(confirm, MeetingCb.filter(F.action == MeetingAction.CONFIRM))
    on(move, MeetingCb.filter(F.action.in_({MeetingAction.MOVE, MeetingAction.COUNTER})))
    on(ask_cancel, MeetingCb.filter(F.action == MeetingAction.CANCEL))
    on(cancel, MeetingCb.filter(F.action == MeetingAction.CANCEL_OK))
    on(keep, MeetingCb.filter(F.action == MeetingAction.KEEP))
    on(held, MeetingCb.filter(F.action == MeetingAction.YES))
    on(not_held, MeetingCb.filter(F.action == MeetingAction.NO))
    on(skip_topic, MeetingCb.filter(F.action == MeetingAction.TOPIC_SKIP))
    on(on_duration, MeetingDurationCb.filter())
    on(on_skip_stage, StageSkipCb.filter())
    router.message.register(on_topic, MeetingText.topic)
    router.message.register(on_skip_reason, MeetingText.skip_reason)
    return router
