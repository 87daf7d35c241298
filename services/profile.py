from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import Participant
from services import audit
from services.clock import Clock
from services.participants import apply_answers
from services.questionnaire import Answers


async def update(
    session: AsyncSession,
    participant: Participant,
    answers: Answers,
    fields: list[str],
    clock: Clock,
) -> None:
    """Save the edited fields of a profile (/profile → «Изменить …»)."""
    apply_answers(participant, answers, fields)
    audit.record(
        session,
        clock.now(),
        "profile.updated",
        actor_id=participant.id,
        object_type="participant",
        object_id=participant.id,
    )
    await session.commit()
