"""Feedback requests and reminders, the curator's low-rating alert, the fit question
after the trial meeting and the curator's «не подходит» alert."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import FeedbackRateCb, FitCb
from bot.ui.dates import day
from bot.ui.kinds import kind_name
from bot.ui.notices.base import Notice, Renderer
from bot.ui.people import pair_label, people_for, person_name
from bot.ui.render import free_text, role_name
from bot.ui.views.pairs import card_button
from models import LIVE_PAIR, FeedbackStatus, MeetingStatus, Outbox, Participant
from services import feedback
from services.nudges import pair_brief
from services.outbox import Kind


def rating_markup(feedback_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for rating in range(1, 6):
        kb.button(text=str(rating), callback_data=FeedbackRateCb(id=feedback_id, rating=rating))
    kb.adjust(5)
    return kb.as_markup()


def fit_markup(pair_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("fit.button.yes"), callback_data=FitCb(pair_id=pair_id, fits=1))
    kb.button(text=t("fit.button.no"), callback_data=FitCb(pair_id=pair_id, fits=0))
    kb.adjust(2)
    return kb.as_markup()


async def _pending(session: AsyncSession, row: Outbox) -> feedback.FeedbackInfo | None:
    """The feedback a request or reminder asks for, if it is still awaited."""
    item = await feedback.info(session, int(row.payload["feedback_id"]))
    if (
        item is None
        or item.status != FeedbackStatus.REQUESTED
        or item.meeting_status != MeetingStatus.HELD
        or item.pair.role_of(item.participant_id) is None
    ):
        return None
    return item


async def request(session: AsyncSession, row: Outbox) -> Notice | None:
    item = await _pending(session, row)
    if item is None:
        return None
    text = t(
        "feedback.request",
        kind=kind_name(item.meeting_kind),
        date=day(item.local_date),
        people=people_for(item.pair, item.participant_id),
    )
    return Notice(text, rating_markup(item.feedback_id))


async def reminder(session: AsyncSession, row: Outbox) -> Notice | None:
    item = await _pending(session, row)
    if item is None:
        return None
    n = 2 if int(row.payload.get("n", 1)) >= 2 else 1
    text = t(
        f"feedback.reminder.{n}",
        kind=kind_name(item.meeting_kind),
        date=day(item.local_date),
        people=people_for(item.pair, item.participant_id),
    )
    return Notice(text, rating_markup(item.feedback_id))


async def low_curator(session: AsyncSession, row: Outbox) -> Notice | None:
    item = await feedback.info(session, int(row.payload["feedback_id"]))
    if item is None or item.rating is None or not item.low:
        return None
    lines = [
        t(
            "feedback.low.curator",
            name=person_name(item.respondent_name),
            role=role_name(item.role),
            kind=kind_name(item.meeting_kind),
            date=day(item.local_date),
            rating=item.rating,
            pair=pair_label(item.pair),
            school=item.pair.school_name,
            comment=free_text(item.hard) if item.hard else t("feedback.low.no_comment"),
        )
    ]
    if item.helped:
        lines.append(t("feedback.low.helped", text=free_text(item.helped)))
    return Notice("\n".join(lines), card_button(item.pair.pair_id))


async def fit_question(session: AsyncSession, row: Outbox) -> Notice | None:
    brief = await pair_brief(session, int(row.payload["pair_id"]))
    if brief is None or brief.status not in LIVE_PAIR or brief.role_of(row.recipient_id) is None:
        return None
    text = t("fit.question", people=people_for(brief, row.recipient_id))
    return Notice(text, fit_markup(brief.pair_id))


async def not_fit_curator(session: AsyncSession, row: Outbox) -> Notice | None:
    pair_id, participant_id = int(row.payload["pair_id"]), int(row.payload["participant_id"])
    brief = await pair_brief(session, pair_id)
    # Dropped if the person has changed their answer back to «подходит» meanwhile.
    if brief is None or await feedback.fit_of(session, pair_id, participant_id) is not False:
        return None
    person = await session.get(Participant, participant_id)
    role = brief.role_of(participant_id)
    assert role is not None
    text = t(
        "fit.not_fit.curator",
        name=person_name(person.full_name if person else None),
        role=role_name(role),
        pair=pair_label(brief),
        school=brief.school_name,
    )
    return Notice(text, card_button(brief.pair_id))


RENDERERS: dict[str, Renderer] = {
    Kind.FEEDBACK_REQUEST: request,
    Kind.FEEDBACK_REMINDER: reminder,
    Kind.FEEDBACK_LOW_CURATOR: low_curator,
    Kind.FIT_QUESTION: fit_question,
    Kind.PAIR_NOT_FIT_CURATOR: not_fit_curator,
}
