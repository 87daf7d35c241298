"""Asking for feedback after a held meeting: the rows and their reminders, written in
the transaction that logs the meeting."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import Feedback, Meeting, Pair
from services import followups, outbox
from services.clock import SendRules, next_allowed
from services.outbox import Kind

# After the deadline: a reminder, another a day later, then «не дана» a day after that.
SECOND_REMINDER_AFTER = dt.timedelta(hours=24)
MISSING_AFTER = dt.timedelta(hours=48)


async def request_for_meeting(
    session: AsyncSession,
    meeting: Meeting,
    pair: Pair,
    *,
    now: dt.datetime,
    deadline_hours: int,
    rules: SendRules,
    questions_before: dict[int, int] | None = None,
) -> list[Feedback]:
    """Feedback rows for the mentor and every current mentee, each with a request and
    reminders after the deadline (cancelled by the renderer once answered). The request
    waits behind ``questions_before[person]`` earlier questions (services.followups)."""
    before = questions_before or {}
    due = now + dt.timedelta(hours=deadline_hours)
    people = [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]
    rows = []
    for participant_id in people:
        fb = Feedback(
            meeting_id=meeting.id, participant_id=participant_id, requested_at=now, due_at=due
        )
        session.add(fb)
        rows.append(fb)
    await session.flush()
    queued = []
    for fb in rows:
        queued.append(
            outbox.queued(
                recipient_id=fb.participant_id,
                kind=Kind.FEEDBACK_REQUEST,
                now=now,
                due_at=next_allowed(
                    followups.due_after(before.get(fb.participant_id, 0), now),
                    rules,
                    days_off_count=False,
                ),
                dedupe_key=f"fb:{fb.id}:request",
                payload={"feedback_id": fb.id},
                meeting_id=meeting.id,
                pair_id=pair.id,
            )
        )
        for n, at in ((1, due), (2, due + SECOND_REMINDER_AFTER)):
            queued.append(
                outbox.queued(
                    recipient_id=fb.participant_id,
                    kind=Kind.FEEDBACK_REMINDER,
                    now=now,
                    due_at=next_allowed(at, rules),
                    dedupe_key=f"fb:{fb.id}:remind:{n}",
                    payload={"feedback_id": fb.id, "n": n},
                    meeting_id=meeting.id,
                    pair_id=pair.id,
                )
            )
    await outbox.enqueue_all(session, queued)
    return rows
