"""/my (a member's pair, its next meeting and buttons), /meetings (the history), and
what a member reads after logging a meeting."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import (
    MeetingAction,
    MeetingCb,
    MeetingsPageCb,
    PairMeetingAction,
    PairMeetingCb,
)
from bot.ui.dates import day, when
from bot.ui.kinds import kind_title
from bot.ui.people import names
from bot.ui.render import free_text
from bot.ui.views.meeting import block, status_name
from bot.ui.views.nav import page_buttons, page_line
from models import MeetingStatus, PairStatus
from services import meetings
from services.meetings import HistoryPage, Logged, MeetingInfo, MyPair

# --- /my -------------------------------------------------------------------------------


def _head(card: MyPair) -> str:
    if not card.is_mentor:
        return t("my.card.mentee", name=card.mentor_name)
    if len(card.mentee_names) > 1:
        return t("my.card.group", n=len(card.mentee_names), names=names(card.mentee_names))
    return t("my.card.mentor", names=names(card.mentee_names))


def card_text(card: MyPair, now_passed: bool) -> str:
    lines = [_head(card)]
    if card.status == PairStatus.COMPLETED:
        lines.append(t("my.card.completed", held=card.held_count))
        return "\n".join(lines)
    kind = kind_title(card.next_kind) if card.next_kind else "—"
    lines.append(t("my.card.stage", kind=kind, held=card.held_count))
    if card.status == PairStatus.PAUSED and card.paused_until:
        lines.append(t("my.card.paused", date=day(card.paused_until)))
    lines.append("")
    m = card.open_meeting
    if m is not None:
        lines.append(t("my.card.next_meeting", status=status_name(m), meeting=block(m)))
        if now_passed:
            lines.append(t("my.card.past_mentor" if card.is_mentor else "my.card.past_mentee"))
    else:
        lines.append(t("my.card.no_meeting"))
        if card.can_go_final:
            lines.append(t("my.card.final_hint"))
    return "\n".join(lines)


def _meeting_buttons(
    kb: InlineKeyboardBuilder, m: MeetingInfo, card: MyPair, me: int | None, passed: bool
) -> list[int]:
    def button(key: str, action: MeetingAction) -> None:
        kb.button(text=t(key), callback_data=MeetingCb(action=action, meeting_id=m.id))

    if passed:
        if not card.is_mentor:
            return []
        button("meeting.button.yes_held", MeetingAction.YES)
        button("meeting.button.move", MeetingAction.MOVE)
        button("meeting.button.no", MeetingAction.NO)
        return [1, 2]
    sizes = []
    if m.status == MeetingStatus.PROPOSED and m.created_by_id != me:
        button("meeting.button.confirm", MeetingAction.CONFIRM)
        sizes.append(1)
    button("meeting.button.move", MeetingAction.MOVE)
    button("meeting.button.cancel", MeetingAction.CANCEL)
    return [*sizes, 2]


def _pair_buttons(kb: InlineKeyboardBuilder, card: MyPair) -> list[int]:
    actions = [("meeting.button.schedule", PairMeetingAction.SCHEDULE)]
    if card.is_mentor:
        actions.append(("meeting.button.log", PairMeetingAction.LOG))
    if card.can_go_final:
        actions.append(("meeting.button.final", PairMeetingAction.FINAL))
    for key, action in actions:
        kb.button(text=t(key), callback_data=PairMeetingCb(action=action, pair_id=card.pair_id))
    return [1] * len(actions)


def card_markup(card: MyPair, me: int | None, now_passed: bool) -> InlineKeyboardMarkup | None:
    if card.status == PairStatus.COMPLETED:
        return None
    kb = InlineKeyboardBuilder()
    m = card.open_meeting
    sizes = (
        _meeting_buttons(kb, m, card, me, now_passed) if m is not None else _pair_buttons(kb, card)
    )
    if not sizes:
        return None
    kb.adjust(*sizes)
    return kb.as_markup()


def final_question_markup(pair_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.final_ok"),
        callback_data=PairMeetingCb(action=PairMeetingAction.FINAL_OK, pair_id=pair_id),
    )
    return kb.as_markup()


# --- /meetings -------------------------------------------------------------------------


def history_text(page: HistoryPage) -> str:
    lines = [t("meetings.title", total=page.total)]
    for n, item in enumerate(page.items, start=page.page * meetings.PAGE_SIZE + 1):
        m = item.meeting
        if m.skip_reason:
            lines.append(
                t(
                    "meetings.item.skipped",
                    num=n,
                    kind=kind_title(m.kind),
                    date=day(m.starts_at.date()),
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
                kind=kind_title(m.kind),
                when=when(m.starts_at, m.zone),
                status=status_name(m),
                extra=Html(extra),
                others=names(item.with_names),
            )
        )
    lines += page_line(page.page, page.pages)
    return "\n\n".join(lines)


def history_markup(page: HistoryPage) -> InlineKeyboardMarkup | None:
    kb = InlineKeyboardBuilder()
    page_buttons(kb, page.page, page.pages, lambda p: MeetingsPageCb(page=p))
    return kb.as_markup() if page.pages > 1 else None


# --- after logging ---------------------------------------------------------------------


def logged_text(logged: Logged) -> str:
    if logged.next_kind is None:
        after = t("meeting.next.completed")
    else:
        after = t("meeting.next.kind", kind=kind_title(logged.next_kind))
    return t(
        "meeting.held.saved",
        meeting=block(logged.meeting),
        minutes=logged.meeting.duration_min or 0,
        after=Html(after),
    )


def topic_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.skip"),
        callback_data=MeetingCb(action=MeetingAction.TOPIC_SKIP, meeting_id=meeting_id),
    )
    return kb.as_markup()
