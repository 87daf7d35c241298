"""Feedback after a held meeting: a 1–5 rating in one tap, then optional text.

A low rating (1–2) asks for a comment and alerts the school's curators through the
outbox; the respondent decides whether the other side of the pair may read the texts
(the curator always can). Every id from a button is checked against the presser.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingKind,
    Outbox,
    OutboxStatus,
    Pair,
    PairStatus,
    Participant,
    Role,
)
from models.loading import PAIR_PEOPLE_NAMES
from services import followups, outbox
from services.access import Actor, school_in_scope
from services.errors import AccessDenied, DomainError, NotFound
from services.nudges import PairBrief, overseers, pair_brief
from services.outbox import Kind
from services.validation import FieldError

LOW_RATING = 2
COMMENT_LIMIT = 1000
# The curator's alert waits this long for the comment, and goes the moment it is written.
LOW_ALERT_GRACE = dt.timedelta(minutes=15)


class Step(enum.StrEnum):
    COMMENT = "comment"  # after a low rating: what went wrong (stored as «hard»)
    HELPED = "helped"
    HARD = "hard"
    SHARE = "share"  # may the other side read the texts?
    DONE = "done"


def next_step(step: Step | None, *, low: bool, has_text: bool) -> Step:
    """The questions after a rating, in order; the share question only if there is text."""
    order = [Step.COMMENT, Step.HELPED] if low else [Step.HELPED, Step.HARD]
    if step is None:
        return order[0]
    if step in order and order.index(step) + 1 < len(order):
        return order[order.index(step) + 1]
    if step != Step.SHARE and has_text:
        return Step.SHARE
    return Step.DONE


def clean_comment(text: str | None) -> str:
    """A typed answer: some words, at most COMMENT_LIMIT characters."""
    if text is None:
        raise FieldError("feedback.error.need_text")
    value = text.strip()
    if len(value) > COMMENT_LIMIT:
        raise FieldError("feedback.error.too_long", length=len(value), limit=COMMENT_LIMIT)
    if not any(ch.isalnum() for ch in value):
        raise FieldError("feedback.error.empty")
    return value


@dataclass(frozen=True)
class Progress:
    feedback_id: int
    step: Step
    low: bool
    respondent_role: Role  # the other side is named on the share button


@dataclass(frozen=True)
class FeedbackInfo:
    """Everything the messages about one feedback row show."""

    feedback_id: int
    participant_id: int
    respondent_name: str | None
    role: Role
    status: FeedbackStatus
    rating: int | None
    helped: str | None
    hard: str | None
    shared: bool
    meeting_id: int
    meeting_kind: MeetingKind
    meeting_status: str
    starts_at: dt.datetime
    pair: PairBrief

    @property
    def local_date(self) -> dt.date:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.pair.zone)).date()

    @property
    def low(self) -> bool:
        return self.rating is not None and self.rating <= LOW_RATING


async def _name_of(session: AsyncSession, participant_id: int) -> str | None:
    # The name only: a Participant would also load its roles, profiles and marks.
    return await session.scalar(
        select(Participant.full_name).where(Participant.id == participant_id)
    )


async def info(session: AsyncSession, feedback_id: int) -> FeedbackInfo | None:
    fb = await session.get(Feedback, feedback_id)
    if fb is None:
        return None
    meeting = await session.get(Meeting, fb.meeting_id)
    if meeting is None:
        return None
    brief = await pair_brief(session, meeting.pair_id)
    if brief is None:
        return None
    respondent = await _name_of(session, fb.participant_id)
    return FeedbackInfo(
        feedback_id=fb.id,
        participant_id=fb.participant_id,
        respondent_name=respondent,
        role=Role.MENTOR if fb.participant_id == brief.mentor_id else Role.MENTEE,
        status=fb.status,
        rating=fb.rating,
        helped=fb.helped,
        hard=fb.hard,
        shared=fb.shared,
        meeting_id=meeting.id,
        meeting_kind=meeting.kind,
        meeting_status=meeting.status.value,
        starts_at=meeting.starts_at,
        pair=brief,
    )


_OWN = (
    select(Feedback, Pair.mentor_id)
    .join(Meeting, Meeting.id == Feedback.meeting_id)
    .join(Pair, Pair.id == Meeting.pair_id)
    .where(Feedback.id == bindparam("feedback_id"))
)  # built once: read on every answer


async def _own(session: AsyncSession, actor: Actor, feedback_id: int) -> tuple[Feedback, int]:
    """The person's own feedback row and its pair's mentor (the respondent's role), in
    one query: every answer reads both."""
    found = (await session.execute(_OWN, {"feedback_id": feedback_id})).one_or_none()
    if found is None:
        raise NotFound()
    fb, mentor_id = found
    if actor.participant_id is None or fb.participant_id != actor.participant_id:
        raise AccessDenied()
    return fb, mentor_id


def _progress(fb: Feedback, step: Step, mentor_id: int) -> Progress:
    role = Role.MENTOR if fb.participant_id == mentor_id else Role.MENTEE
    low = fb.rating is not None and fb.rating <= LOW_RATING
    return Progress(fb.id, step, low, role)


async def rate(
    session: AsyncSession, actor: Actor, feedback_id: int, rating: int, now: dt.datetime
) -> Progress:
    """Save the rating (once). A low one alerts the curators; returns the next question."""
    if not 1 <= rating <= 5:
        raise DomainError("error.stale_button")
    fb, mentor_id = await _own(session, actor, feedback_id)
    if fb.status == FeedbackStatus.GIVEN:
        raise DomainError("feedback.error.already_given", rating=fb.rating or 0)
    # Late feedback (already «не дана») is still welcome.
    fb.rating = rating
    fb.status = FeedbackStatus.GIVEN
    fb.given_at = now
    first = next_step(None, low=rating <= LOW_RATING, has_text=False)
    progress = _progress(fb, first, mentor_id)
    if progress.low:
        meeting = await session.get(Meeting, fb.meeting_id)
        assert meeting is not None
        for curator_id in await overseers(session, await _school_of(session, meeting)):
            if curator_id == fb.participant_id:
                continue
            await outbox.enqueue(
                session,
                recipient_id=curator_id,
                kind=Kind.FEEDBACK_LOW_CURATOR,
                now=now,
                due_at=now + LOW_ALERT_GRACE,
                dedupe_key=f"fb:{fb.id}:low:{curator_id}",
                payload={"feedback_id": fb.id},
                meeting_id=meeting.id,
                pair_id=meeting.pair_id,
            )
    await session.commit()
    return progress


async def _school_of(session: AsyncSession, meeting: Meeting) -> int:
    found = await session.execute(select(Pair.school_id).where(Pair.id == meeting.pair_id))
    return found.scalar_one()


async def answer(
    session: AsyncSession,
    actor: Actor,
    feedback_id: int,
    step: Step,
    text: str | None,
    now: dt.datetime,
    *,
    skip: bool = False,
) -> Progress:
    """Store a typed answer (text: None for a sticker or a photo is refused) or a skip
    for a text step; returns the next question."""
    fb, mentor_id = await _own(session, actor, feedback_id)
    if fb.status != FeedbackStatus.GIVEN or step not in (Step.COMMENT, Step.HELPED, Step.HARD):
        raise DomainError("error.stale_button")
    value = None if skip else clean_comment(text)
    if step == Step.HELPED:
        fb.helped = value
    else:
        fb.hard = value
    if step == Step.COMMENT:
        # The comment is in (or refused): the curator hears about it now.
        await session.execute(
            update(Outbox)
            .where(
                Outbox.dedupe_key.like(f"fb:{fb.id}:low:%"),
                Outbox.status == OutboxStatus.PENDING,
            )
            .values(due_at=now)
        )
    low = fb.rating is not None and fb.rating <= LOW_RATING
    following = next_step(step, low=low, has_text=bool(fb.helped or fb.hard))
    progress = _progress(fb, following, mentor_id)
    await session.commit()
    return progress


async def share(session: AsyncSession, actor: Actor, feedback_id: int, shared: bool) -> Role:
    """Whether the other side may read the texts; returns the respondent's role."""
    fb, mentor_id = await _own(session, actor, feedback_id)
    if fb.status != FeedbackStatus.GIVEN:
        raise DomainError("error.stale_button")
    fb.shared = shared
    progress = _progress(fb, Step.DONE, mentor_id)
    await session.commit()
    return progress.respondent_role


@dataclass(frozen=True)
class FeedbackView:
    participant_id: int
    name: str | None
    role: Role
    status: FeedbackStatus
    rating: int | None
    helped: str | None  # None also when hidden from this reader
    hard: str | None
    hidden: bool


async def for_meeting(session: AsyncSession, actor: Actor, meeting_id: int) -> list[FeedbackView]:
    """A meeting's feedback as the actor may see it: the pair's members see each other's
    ratings, and texts only when shared; staff in scope see everything."""
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    brief = await pair_brief(session, meeting.pair_id)
    assert brief is not None
    is_member = actor.participant_id is not None and (
        actor.participant_id == brief.mentor_id
        or actor.participant_id in {m for m, _ in brief.mentees}
    )
    if not is_member:
        await school_in_scope(session, actor, await _school_of(session, meeting))
    rows = await session.scalars(
        select(Feedback).where(Feedback.meeting_id == meeting_id).order_by(Feedback.id)
    )
    views = []
    for fb in rows:
        name = await _name_of(session, fb.participant_id)
        hidden = is_member and not fb.shared and fb.participant_id != actor.participant_id
        views.append(
            FeedbackView(
                participant_id=fb.participant_id,
                name=name,
                role=Role.MENTOR if fb.participant_id == brief.mentor_id else Role.MENTEE,
                status=fb.status,
                rating=fb.rating,
                helped=None if hidden else fb.helped,
                hard=None if hidden else fb.hard,
                hidden=hidden and bool(fb.helped or fb.hard),
            )
        )
    return views


# --- «Подходит ли вам пара?» after the trial meeting ----------------------------------------


@dataclass(frozen=True)
class FitAnswer:
    pair_id: int
    fits: bool
    changed: bool  # False when the same answer was given before


async def answer_fit(
    session: AsyncSession, actor: Actor, pair_id: int, fits: bool, now: dt.datetime
) -> FitAnswer:
    """Store a member's answer (the mentor's on the pair, a mentee's on their membership);
    «не подходит» alerts the curators at once. Answering again updates the answer."""
    pair = await session.get(Pair, pair_id, options=PAIR_PEOPLE_NAMES)
    if pair is None:
        raise NotFound()
    me = actor.participant_id
    member = next((m for m in pair.active_members if m.mentee_id == me), None)
    if me is None or (me != pair.mentor_id and member is None):
        raise AccessDenied()
    if pair.status not in (PairStatus.ACTIVE, PairStatus.PAUSED):
        raise DomainError("fit.error.pair_closed")
    if member is None:
        previous, pair.mentor_fit = pair.mentor_fit, fits
    else:
        previous, member.fit = member.fit, fits
    if not fits:
        for curator_id in await overseers(session, pair.school_id):
            if curator_id == me:
                continue
            key = f"notfit:{pair.id}:{me}:{curator_id}"
            await outbox.enqueue(
                session,
                recipient_id=curator_id,
                kind=Kind.PAIR_NOT_FIT_CURATOR,
                now=now,
                due_at=now,
                dedupe_key=key,
                payload={"pair_id": pair.id, "participant_id": me},
                pair_id=pair.id,
            )
            # An alert dropped when the person changed their mind goes again.
            await session.execute(
                update(Outbox)
                .where(Outbox.dedupe_key == key, Outbox.status == OutboxStatus.CANCELLED)
                .values(status=OutboxStatus.PENDING, due_at=now)
            )
    await followups.release_next(session, me, pair.id, now)  # the feedback request
    await session.commit()
    return FitAnswer(pair.id, fits, previous != fits)


async def fit_of(session: AsyncSession, pair_id: int, participant_id: int) -> bool | None:
    """A member's current answer (None: not answered, or not a member any more)."""
    pair = await session.get(Pair, pair_id, options=PAIR_PEOPLE_NAMES)
    if pair is None:
        return None
    if participant_id == pair.mentor_id:
        return pair.mentor_fit
    member = next((m for m in pair.active_members if m.mentee_id == participant_id), None)
    return member.fit if member else None
