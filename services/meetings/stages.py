"""Stages: the mentor moves the pair to the final meeting; the curator skips a stage."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingKind, MeetingStatus, Pair
from services import audit
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.meetings.access import pair_of_member, require_live, require_mentor
from services.meetings.checks import check_skippable
from services.meetings.cycle import advance
from services.meetings.reading import regular_held
from services.validation import clean_reason


async def go_final(
    session: AsyncSession, clock: Clock, participant_id: int | None, pair_id: int
) -> None:
    """«Перейти к итоговой встрече»: the mentor ends the regular meetings."""
    now = clock.now()
    pair = await pair_of_member(session, participant_id, pair_id)
    require_mentor(pair, participant_id)
    require_live(pair)
    if pair.next_kind != MeetingKind.REGULAR or await regular_held(session, pair.id) == 0:
        raise DomainError("meeting.error.no_final_yet")
    pair.next_kind = MeetingKind.FINAL
    pair.stage_since = now
    audit.record(
        session,
        now,
        "pair.go_final",
        actor_id=participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()


async def skip_stage(
    session: AsyncSession, clock: Clock, actor: Actor, pair_id: int, reason: str
) -> MeetingKind:
    """The curator skips the pair's next kind, with a reason: a CANCELLED meeting row of
    that kind keeps the reason, and the pair moves on. The final meeting is not skipped
    (the curator ends the pair instead). Returns the kind skipped."""
    now = clock.now()
    kind = await check_skippable(session, actor, pair_id)
    pair = await session.get(Pair, pair_id)
    assert pair is not None
    reason = clean_reason(reason)
    session.add(
        Meeting(
            pair_id=pair.id,
            kind=kind,
            status=MeetingStatus.CANCELLED,
            starts_at=now,
            skip_reason=reason,
            created_by_id=actor.participant_id,
            logged_at=now,
            created_at=now,
        )
    )
    if kind == MeetingKind.REGULAR:
        pair.next_kind = MeetingKind.FINAL
        pair.stage_since = now
    else:
        advance(pair, kind, now)
    audit.record(
        session,
        now,
        "pair.skip_stage",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()
    return kind
