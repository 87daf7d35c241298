"""After the trial meeting both sides say whether the pair fits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, Pair
from services import followups, outbox
from services.clock import SendRules, next_allowed
from services.outbox import Kind


async def ask_after_trial(
    session: AsyncSession,
    pair: Pair,
    meeting: Meeting,
    *,
    now: dt.datetime,
    rules: SendRules,
    questions_before: dict[int, int] | None = None,
) -> None:
    """The question to every member, each behind ``questions_before[person]`` earlier
    questions (services.followups)."""
    before = questions_before or {}
    for participant_id in [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]:
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.FIT_QUESTION,
            now=now,
            due_at=next_allowed(
                followups.due_after(before.get(participant_id, 0), now),
                rules,
                days_off_count=False,
            ),
            dedupe_key=f"fit:{pair.id}:{meeting.id}:{participant_id}",
            payload={"pair_id": pair.id, "meeting_id": meeting.id},
            meeting_id=meeting.id,
            pair_id=pair.id,
        )
