"""Feedback on a meeting: given or awaited, or asked the way logging a meeting asks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import Feedback, FeedbackStatus, Meeting, MeetingKind, MeetingStatus, Participant
from services import feedback_requests, programmes
from services.clock import local_today
from tests.arrange.constants import NOW
from tests.arrange.meetings import meeting
from tests.arrange.pairs import Arranged, school_with_pair


async def feedback(
    db: AsyncSession,
    m: Meeting,
    who: Participant,
    *,
    rating: int | None = None,
    helped: str | None = None,
    hard: str | None = None,
    shared: bool = False,
    status: FeedbackStatus | None = None,
    due_at: dt.datetime | None = None,
) -> Feedback:
    fb = Feedback(
        meeting_id=m.id,
        participant_id=who.id,
        status=status or (FeedbackStatus.GIVEN if rating else FeedbackStatus.REQUESTED),
        rating=rating,
        helped=helped,
        hard=hard,
        shared=shared,
        requested_at=m.starts_at + dt.timedelta(hours=1),
        due_at=due_at or m.starts_at + dt.timedelta(hours=49),
        given_at=m.starts_at + dt.timedelta(hours=2) if rating else None,
    )
    db.add(fb)
    await db.commit()
    return fb


async def ask_feedback(
    db: AsyncSession, arranged: Arranged, m: Meeting, now: dt.datetime = NOW
) -> list[Feedback]:
    """What logging the meeting does: feedback rows with their request and reminders."""
    today = local_today(now, arranged.school.timezone)
    programme = await programmes.for_school(db, arranged.school.id, today)
    rules = await programmes.send_rules(db, arranged.school.id, today)
    rows = await feedback_requests.request_for_meeting(
        db,
        m,
        arranged.pair,
        now=now,
        deadline_hours=programme.feedback_deadline_hours,
        rules=rules,
    )
    await db.commit()
    return rows


async def trial_with_feedback_asked(db: AsyncSession) -> tuple[Arranged, Meeting]:
    """A pair whose trial meeting was held two hours before NOW (its stage now
    planning), with the feedback asked of both sides."""
    a = await school_with_pair(db, next_kind=MeetingKind.PLANNING)
    m = await meeting(
        db, a.pair, MeetingKind.TRIAL, NOW - dt.timedelta(hours=2), status=MeetingStatus.HELD
    )
    await ask_feedback(db, a, m)
    return a, m
