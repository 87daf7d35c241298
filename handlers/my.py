"""/my: my pair or group, the next meeting and what comes next, with «Назначить встречу»,
«Записать встречу» and «Перейти к итоговой встрече»; /meetings: the history, paged."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui import meetings_dialog
from bot.ui.callbacks import MeetingCb, MeetingsPageCb, PairMeetingCb
from bot.ui.notices.meetings import block, kind_name, names, status_name, when
from bot.ui.render import free_text
from models import MeetingStatus, PairStatus
from services import meetings
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.meetings import HistoryPage, PairCard


def card_text(card: PairCard, now_passed: bool) -> str:
    if card.is_mentor:
        if len(card.mentee_names) > 1:
            head = t(
                "my.card.group",
                n=len(card.mentee_names),
                names=names(card.mentee_names),
            )
        else:
            head = t("my.card.mentor", names=names(card.mentee_names))
    else:
        head = t("my.card.mentee", name=card.mentor_name)
    lines = [head]
    if card.status == PairStatus.COMPLETED:
        lines.append(t("my.card.completed", held=card.held_count))
        return "\n".join(lines)
    lines.append(
        t(
            "my.card.stage",
            kind=kind_name(card.next_kind) if card.next_kind else "—",
            held=card.held_count,
        )
    )
    if card.status == PairStatus.PAUSED and card.paused_until:
        lines.append(t("my.card.paused", date=card.paused_until.strftime("%d.%m.%Y")))
    m = card.open_meeting
    if m is not None:
        lines.append("")
        lines.append(t("my.card.next_meeting", status=status_name(m), meeting=block(m)))
        if now_passed:
            key = "my.card.past_mentor" if card.is_mentor else "my.card.past_mentee"
            lines.append(t(key))
    else:
        lines.append("")
        lines.append(t("my.card.no_meeting"))
        if card.can_go_final:
            lines.append(t("my.card.final_hint"))
    return "\n".join(lines)


def card_markup(card: PairCard, me: int | None, now_passed: bool) -> InlineKeyboardMarkup | None:
    if card.status == PairStatus.COMPLETED:
        return None
    kb = InlineKeyboardBuilder()
    sizes: list[int] = []
    m = card.open_meeting
    if m is not None:
        if now_passed:
            if card.is_mentor:
                kb.button(
                    text=t("meeting.button.yes_held"),
                    callback_data=MeetingCb(action="yes", meeting_id=m.id),
                )
                kb.button(
                    text=t("meeting.button.move"),
                    callback_data=MeetingCb(action="move", meeting_id=m.id),
                )
                kb.button(
                    text=t("meeting.button.no"),
                    callback_data=MeetingCb(action="no", meeting_id=m.id),
                )
                sizes += [1, 2]
        else:
            if m.status == MeetingStatus.PROPOSED and m.created_by_id != me:
                kb.button(
                    text=t("meeting.button.confirm"),
                    callback_data=MeetingCb(action="confirm", meeting_id=m.id),
                )
                sizes.append(1)
            kb.button(
                text=t("meeting.button.move"),
                callback_data=MeetingCb(action="move", meeting_id=m.id),
            )
            kb.button(
                text=t("meeting.button.cancel"),
                callback_data=MeetingCb(action="cancel", meeting_id=m.id),
            )
            sizes.append(2)
    else:
        kb.button(
            text=t("meeting.button.schedule"),
            callback_data=PairMeetingCb(action="schedule", pair_id=card.pair_id),
        )
        sizes.append(1)
        if card.is_mentor:
            kb.button(
                text=t("meeting.button.log"),
                callback_data=PairMeetingCb(action="log", pair_id=card.pair_id),
            )
            sizes.append(1)
        if card.can_go_final:
            kb.button(
                text=t("meeting.button.final"),
                callback_data=PairMeetingCb(action="final", pair_id=card.pair_id),
            )
            sizes.append(1)
    if not sizes:
        return None
    kb.adjust(*sizes)
    return kb.as_markup()


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
    for card in cards:
        passed = card.open_meeting is not None and card.open_meeting.starts_at <= now
        await message.answer(
            card_text(card, passed), reply_markup=card_markup(card, actor.participant_id, passed)
        )


def _final_question(pair_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.final_ok"),
        callback_data=PairMeetingCb(action="final_ok", pair_id=pair_id),
    )
    return kb.as_markup()


async def on_pair(
    query: CallbackQuery,
    callback_data: PairMeetingCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    dialog_manager: DialogManager,
) -> None:
    me, pair_id, action = actor.participant_id, callback_data.pair_id, callback_data.action
    if action in ("schedule", "log"):
        await meetings.check_schedulable(session, me, pair_id, log=action == "log")
        await query.answer()
        mode = meetings_dialog.LOG if action == "log" else meetings_dialog.SCHEDULE
        await meetings_dialog.start(dialog_manager, mode, pair_id=pair_id)
    elif action == "final":
        card = await meetings.card_of(session, me or 0, pair_id)
        if not card.can_go_final:
            raise DomainError("meeting.error.no_final_yet")
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.answer(
                t("meeting.final.ask"), reply_markup=_final_question(pair_id)
            )
    elif action == "final_ok":
        await meetings.go_final(session, clock, me, pair_id)
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_text(t("meeting.final.done"))
    else:
        await query.answer(t("error.stale_button"), show_alert=True)


def history_text(page: HistoryPage) -> str:
    lines = [t("meetings.title", total=page.total)]
    for n, item in enumerate(page.items, start=page.page * meetings.PAGE_SIZE + 1):
        m = item.meeting
        if m.skip_reason:
            lines.append(
                t(
                    "meetings.item.skipped",
                    num=n,
                    kind=kind_name(m.kind),
                    date=m.starts_at.strftime("%d.%m.%Y"),
                    reason=free_text(m.skip_reason),
                )
            )
            continue
        extra = ""
        if m.duration_min:
            extra = t("meetings.item.minutes", minutes=m.duration_min)
        if m.topic:
            extra += t("meetings.item.topic", topic=free_text(m.topic))
        lines.append(
            t(
                "meetings.item",
                num=n,
                kind=kind_name(m.kind),
                when=when(m.starts_at, m.zone),
                status=status_name(m),
                extra=Html(extra),
                others=names(item.with_names),
            )
        )
    if page.pages > 1:
        lines.append(t("nav.page", page=page.page + 1, pages=page.pages))
    return "\n\n".join(lines)


def history_markup(page: HistoryPage) -> InlineKeyboardMarkup | None:
    kb = InlineKeyboardBuilder()
    if page.page > 0:
        kb.button(text=t("nav.prev"), callback_data=MeetingsPageCb(page=page.page - 1))
    if page.page + 1 < page.pages:
        kb.button(text=t("nav.next"), callback_data=MeetingsPageCb(page=page.page + 1))
    return kb.as_markup() if page.pages > 1 else None


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
        await query.answer(t("error.not_registered"), show_alert=True)
        return
    # Only the presser's own meetings are ever listed, whatever page is asked for.
    page = await meetings.history(session, actor.participant_id, callback_data.page)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(history_text(page), reply_markup=history_markup(page))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(my, Command("my"))
    router.message.register(history, Command("meetings"))
    router.callback_query.register(on_pair, PairMeetingCb.filter())
    router.callback_query.register(history_page, MeetingsPageCb.filter())
    return router
